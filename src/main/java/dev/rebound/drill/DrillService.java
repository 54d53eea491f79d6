package dev.rebound.drill;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.error.ConflictException;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.UnavailableException;
import dev.rebound.runbook.Runbook;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Drills for the API and the CLI: the scenarios with their last outcome, starting a drill (one
 * at a time: they share one demo system) on a thread of its own, reports, history with the trend.
 * Every phase of a running drill is saved, so its report is readable (and survives a restart)
 * while it runs. {@link #stop()} ends the drill in progress early, as failed, with its run
 * aborted and the demo system reset.
 */
public final class DrillService {
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final long SAVE_TIMEOUT_S = 30;

  private final Vertx vertx;
  private final Supplier<ScenarioCatalog> scenarios;
  private final DrillRunner runner;
  private final DemoControl demo;
  private final PgDrillStore store;
  private final DrillFlags flags;
  private final DrillMetrics metrics;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "rebound-drill");
    t.setDaemon(true);
    return t;
  });
  private final AtomicReference<Current> running = new AtomicReference<>();
  private volatile boolean stopping;

  /** The drill in progress: its id, how to ask it to stop, and its end (after its clean-up). */
  private record Current(String id, DrillStop stop, Promise<Void> ended) {
    Current(String id) {
      this(id, new DrillStop(), Promise.promise());
    }
  }

  public DrillService(Vertx vertx, Supplier<ScenarioCatalog> scenarios, DrillRunner runner, DemoControl demo,
      PgDrillStore store, DrillFlags flags, DrillMetrics metrics) {
    this.vertx = vertx;
    this.scenarios = scenarios;
    this.runner = runner;
    this.demo = demo;
    this.store = store;
    this.flags = flags;
    this.metrics = metrics;
  }

  public DrillFlags flags() {
    return flags;
  }

  public PgDrillStore store() {
    return store;
  }

  public Future<ScenarioCatalog> catalog() {
    return vertx.executeBlocking(scenarios::get, false);
  }

  /**
   * {@code {"scenarios": [{id, title, fault, assets, expected_runbook, last}], "trends": [{runbook,
   * trend}]}}: a trend for each runbook that a scenario with a drill expects, by runbook id. Each
   * runbook's trend comes from its own drills alone: one runbook's recovery times compared with
   * another's would say nothing.
   */
  public Future<ObjectNode> list() {
    return catalog().compose(catalog -> list(catalog, store));
  }

  /** {@link #list()} of these scenarios, for the CLI, which has no service (no demo system, no runner). */
  public static Future<ObjectNode> list(ScenarioCatalog catalog, PgDrillStore store) {
    return store.latestPerScenario()
        .compose(latest -> store.latestPassedPerRunbook(DrillTrend.WINDOW).map(passed -> {
          Map<String, DrillRecord> last = latest.stream().collect(Collectors.toMap(DrillRecord::scenarioId, r -> r));
          ObjectNode body = DrillReport.JSON.createObjectNode();
          ArrayNode list = body.putArray("scenarios");
          for (Scenario s : catalog.scenarios()) {
            list.add(scenarioJson(s, Optional.ofNullable(last.get(s.id()))));
          }
          Map<String, List<DrillRecord>> passedByRunbook = passed.stream()
              .collect(Collectors.groupingBy(DrillRecord::runbookId));
          ArrayNode trends = body.putArray("trends");
          catalog.scenarios().stream().filter(s -> last.containsKey(s.id())).map(Scenario::expectedRunbook)
              .distinct().sorted()
              .forEach(runbook -> trends.addObject().put("runbook", runbook)
                  .set("trend", DrillTrend.of(passedByRunbook.getOrDefault(runbook, List.of())).toJson()));
          return body;
        }));
  }

  private static ObjectNode scenarioJson(Scenario s, Optional<DrillRecord> last) {
    ObjectNode o = DrillReport.JSON.createObjectNode().put("id", s.id()).put("title", s.title())
        .put("fault", s.fault());
    s.assets().forEach(o.putArray("assets")::add);
    o.put("expected_runbook", s.expectedRunbook());
    if (last.isEmpty()) {
      o.putNull("last");
      return o;
    }
    DrillRecord r = last.get();
    ObjectNode l = o.putObject("last").put("drill_id", r.drillId()).put("status", r.status())
        .put("finished_at", r.finishedAt().map(Instant::toString).orElse(null));
    l.put("recovery_ms", r.recoveryMs().orElse(null));
    l.put("within_rto", r.withinRto().orElse(null));
    return o;
  }

  /**
   * Starts a drill in the background; completes with its id once the demo system answered.
   * 404 unknown scenario, 409 its runbook cannot be started (nothing is recorded: such a drill
   * could only fail, and flag the runbook for it) or another drill is running, 503 no demo system.
   */
  public Future<String> start(String scenarioId) {
    return catalog().compose(catalog -> {
      Scenario scenario = catalog.get(scenarioId).orElseThrow(() -> NotFoundException.of("drill scenario", scenarioId));
      // Before the demo system is asked: a running drill may be resetting it (503 meanwhile).
      Current current = running.get();
      if (current != null) {
        return Future.failedFuture(busy(current.id()));
      }
      return vertx.executeBlocking(() -> runner.expectedRunbook(scenario), false)
          .compose(runbook -> runner.refusal(scenario, runbook).compose(refusal -> refusal.isPresent()
              ? Future.failedFuture(notStarted(scenario, refusal.get()))
              : vertx.executeBlocking(() -> {
                demo.unavailable().ifPresent(why -> {
                  throw new DemoUnavailableException("drills need the demo production system: " + why);
                });
                runner.actsElsewhere(runbook).ifPresent(why -> {
                  throw notStarted(scenario, why);
                });
                return scenario;
              }, false)));
    }).compose(scenario -> {
      Current current = new Current(newDrillId());
      if (!running.compareAndSet(null, current)) {
        return Future.failedFuture(busy(runningId()));
      }
      // After taking the slot: stop() sets the flag before it looks at the slot, so either this
      // start sees the flag or stop() sees this drill (and ends it).
      if (stopping) {
        release(current);
        return Future.failedFuture(new UnavailableException("the service is stopping: start the drill again once"
            + " it is back", null));
      }
      // Stored before the answer, so the report exists (running) as soon as the caller has the id.
      return store.save(new DrillReport(current.id(), scenario, Instant.now(), runner.waitScale()))
          .onFailure(e -> release(current))
          .map(v -> {
            thread.submit(() -> runHere(scenario, current));
            return current.id();
          });
    });
  }

  private static ConflictException busy(String drillId) {
    return new ConflictException("drill " + drillId
        + " is running; drills share the demo system, so one runs at a time");
  }

  /**
   * Runs a drill on the calling thread (the CLI), blocking until it is over; refused like
   * {@link #start} when its runbook cannot be started.
   */
  public DrillReport runNow(Scenario scenario) {
    refuseIfNotStartable(scenario);
    Current current = new Current(newDrillId());
    if (!running.compareAndSet(null, current)) {
      throw new ConflictException("drill " + runningId() + " is running");
    }
    return runHere(scenario, current);
  }

  /** Blocking. */
  private void refuseIfNotStartable(Scenario scenario) {
    Optional<Runbook> runbook = runner.expectedRunbook(scenario);
    DrillRunner.await(runner.refusal(scenario, runbook)).or(() -> runner.actsElsewhere(runbook)).ifPresent(why -> {
      throw notStarted(scenario, why);
    });
  }

  /** The refusal of a drill whose runbook cannot be started ({@link DrillRunner#refusal}). */
  public static ConflictException notStarted(Scenario scenario, String why) {
    return new ConflictException("drill " + scenario.id() + " not started, nothing recorded: " + why);
  }

  private DrillReport runHere(Scenario scenario, Current current) {
    try {
      DrillReport report = runner.run(scenario, current.id(), this::save, current.stop());
      metrics.finished(report);
      return report;
    } finally {
      release(current);
    }
  }

  private void release(Current current) {
    running.compareAndSet(current, null);
    current.ended().tryComplete();
  }

  private void save(DrillReport report) {
    try {
      store.save(report).await(SAVE_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot store drill report " + report.drillId + ": " + e.getMessage(), e);
    }
  }

  public Future<ObjectNode> report(String drillId) {
    return store.get(drillId).map(r -> r.orElseThrow(() -> NotFoundException.of("drill", drillId)).report());
  }

  /**
   * {@code {"drills": [...], "trend": {...}}}, newest first, optionally of one runbook and/or asset;
   * each drill's {@code rto_seconds} is the target its recovery was judged against (the tightest
   * of its assets').
   */
  public Future<ObjectNode> history(Optional<String> runbook, Optional<String> asset, int limit) {
    return store.history(runbook, asset, limit).map(records -> {
      ObjectNode body = DrillReport.JSON.createObjectNode();
      body.put("runbook", runbook.orElse(null)).put("asset", asset.orElse(null));
      ArrayNode list = body.putArray("drills");
      for (DrillRecord r : records) {
        ObjectNode o = list.addObject().put("drill_id", r.drillId()).put("scenario", r.scenarioId())
            .put("runbook_id", r.runbookId()).put("status", r.status()).put("started_at", r.startedAt().toString())
            .put("finished_at", r.finishedAt().map(Instant::toString).orElse(null));
        o.put("recovery_ms", r.recoveryMs().orElse(null));
        o.put("within_rto", r.withinRto().orElse(null));
        o.put("rto_seconds", r.rto().map(Duration::toSeconds).orElse(null));
        o.put("failure", r.failure().orElse(null));
      }
      body.set("trend", DrillTrend.of(records).toJson());
      return body;
    });
  }

  static String newDrillId() {
    byte[] b = new byte[3];
    new SecureRandom().nextBytes(b);
    return "drill-" + ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(b);
  }

  public List<String> runningNow() {
    return Optional.ofNullable(running.get()).map(Current::id).stream().toList();
  }

  private String runningId() {
    return runningNow().stream().findFirst().orElse(null);
  }

  /**
   * For a graceful stop of the service: no drill starts from now on, and the drill in progress
   * ends at its next phase or pause, as failed ({@link DrillInterruption}: the phase it was in, and
   * where its fault may still be), saved at once, then its run is aborted, the demo system reset
   * and the report saved again. Completes when that drill has ended (at once when none runs); the
   * caller bounds the wait, and must keep the database and the drill engine open until then.
   */
  public Future<Void> stop() {
    return stop(DrillStop::ask);
  }

  /**
   * As {@link #stop()}, for a stop that waits at most {@code grace} for the steps the engines
   * execute: the drill waits no longer for its run's step to end (the engine leaves it to lease
   * recovery then); it leaves its run as it is, resets the demo system and saves its report.
   */
  public Future<Void> stop(Duration grace) {
    return stop(stop -> stop.ask(grace));
  }

  private Future<Void> stop(Consumer<DrillStop> ask) {
    stopping = true;
    Current current = running.get();
    if (current == null) {
      thread.shutdown();
      return Future.succeededFuture();
    }
    ask.accept(current.stop());
    return current.ended().future().onComplete(v -> thread.shutdown());
  }
}
