package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.engine.check.Settling;
import dev.rebound.error.UnavailableException;
import dev.rebound.inventory.Asset;
import dev.rebound.runbook.BoundParams;
import dev.rebound.runbook.ParamBinder;
import dev.rebound.runbook.Runbook;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one drill, phase by phase: reset the demo system to its seed state, resolve the
 * parameters, retrieve a runbook from the symptom text (recorded, not decisive), note which of
 * the expected runbook's validation checks pass, inject the fault, wait until one of them fails
 * (detection), run the expected runbook through the engine as a drill run, poll its validation
 * until it passes (recovery), and judge the time against each affected asset's RTO. Whatever
 * happens, the run is not left waiting and the demo system is reset afterwards. Blocking: call
 * it on a thread of its own.
 */
public final class DrillRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DrillRunner.class);
  private static final Duration VALIDATION_POLL = Duration.ofSeconds(2);
  private static final long CHECK_TIMEOUT_S = 30;
  /** How long the clean-up waits for a step of the run to end before it aborts the run. */
  private static final Duration ABORT_PATIENCE = Duration.ofSeconds(60);

  private final DrillEnvironment env;

  public DrillRunner(DrillEnvironment env) {
    this.env = env;
  }

  double waitScale() {
    return env.waitScale();
  }

  /**
   * Runs the scenario; {@code progress} sees the report after each phase (to store it) and once
   * more when it is finished. Never throws for a failing drill: the report says why.
   */
  public DrillReport run(Scenario scenario, String drillId, Consumer<DrillReport> progress) {
    return run(scenario, drillId, progress, new DrillStop());
  }

  /**
   * As {@link #run(Scenario, String, Consumer)}, ending early once {@code stop} is asked: the
   * report says so ({@link DrillInterruption}), saved as failed at once, then again once the run
   * is aborted and the demo system reset.
   */
  DrillReport run(Scenario scenario, String drillId, Consumer<DrillReport> progress, DrillStop stop) {
    DrillReport report = new DrillReport(drillId, scenario, Instant.now(), env.waitScale());
    report.demoUrl = env.demo().base().toString();
    Instant deadline = Instant.now().plus(scenario.maxDuration().orElse(env.defaultMaxDuration()));
    EngineDriver driver = new EngineDriver(env.engine(), env.poll(), stop);
    boolean stopped = false;
    try {
      phase(report, "preparing", progress, stop);
      env.demo().reset();
      Runbook runbook = env.runbooks().apply(scenario.expectedRunbook())
          .orElseThrow(() -> new DrillFailure(missing(scenario)));
      // Checked again here: the runbook may have changed since the drill was accepted.
      await(notStartable(runbook, env.notStartable())).ifPresent(why -> {
        throw new DrillFailure(why);
      });
      BoundParams params = bind(runbook, scenario, report);
      RunbookChecks checks = new RunbookChecks(runbook, env.checks(), params.values(), env.env(), env.secretEnv());
      retrieve(scenario, report);
      Set<String> healthy = checks.validation(Map.of()).stream().filter(CheckResult::passed)
          .map(CheckResult::name).collect(Collectors.toSet());
      if (healthy.isEmpty()) {
        throw new DrillFailure("none of " + runbook.id() + "'s validation checks passes on the healthy demo system,"
            + " so none can detect the fault");
      }

      phase(report, "detecting", progress, stop);
      long injected = System.nanoTime();
      deadline = Instant.now().plus(scenario.maxDuration().orElse(env.defaultMaxDuration()));
      env.demo().inject(scenario.fault(), scenario.faultParams());
      detect(checks, healthy, report, injected, stop);

      phase(report, "recovering", progress, stop);
      report.runId = driver.start(runbook.id(), params.toJson());
      progress.accept(report);
      EngineDriver.Outcome outcome = driver.drive(deadline);
      report.runState = driver.lastView().path("state").asText();
      stepTimes(driver.lastView(), report);
      if (!outcome.stepsDone() || (outcome.error() != null && !outcome.validationOnly())) {
        throw new DrillFailure(outcome.error());
      }

      phase(report, "validating", progress, stop);
      validate(checks, driver.outputs(), report, deadline, progress, stop);
      report.recoveryMs = millisSince(injected);
      judge(scenario, report, driver.outputs());
      report.status = DrillReport.Status.PASSED;
    } catch (DrillStop.Stopped e) {
      stopped = true;
    } catch (DrillFailure e) {
      report.failure = e.getMessage();
    } catch (RuntimeException e) {
      LOG.warn("drill {} of {} ended by an error", drillId, scenario.id(), e);
      report.failure = e.getMessage() == null ? e.toString() : e.getMessage();
    } finally {
      cleanUp(report, driver, progress, stop, stopped);
    }
    return report;
  }

  /** The scenario's runbook as loaded now, if it exists. Blocking (it may read the runbooks' files). */
  public Optional<Runbook> expectedRunbook(Scenario scenario) {
    return env.runbooks().apply(scenario.expectedRunbook());
  }

  /**
   * Why the scenario's runbook (as {@link #expectedRunbook} found it) cannot be started now
   * (missing, not approved, inactive), with what to do about it; a drill of such a runbook could
   * only fail, so it is refused before it starts.
   */
  public Future<Optional<String>> refusal(Scenario scenario, Optional<Runbook> runbook) {
    return refusal(scenario, runbook, env.notStartable());
  }

  /**
   * Why the runbook would act on another system than the demo system the drill breaks
   * ({@link DrillTargets}): such a drill is refused before anything is injected.
   */
  public Optional<String> actsElsewhere(Optional<Runbook> runbook) {
    return runbook.flatMap(r -> DrillTargets.elsewhere(r, env.env(), env.demo().base()));
  }

  /** {@link #refusal(Scenario, Optional)} before a runner exists ({@code rebound drill}, ahead of the demo system and index). */
  public static Future<Optional<String>> refusal(Scenario scenario, Optional<Runbook> runbook,
      Function<Runbook, Future<Optional<String>>> notStartable) {
    return runbook.map(r -> notStartable(r, notStartable))
        .orElseGet(() -> Future.succeededFuture(Optional.of(missing(scenario))));
  }

  private static Future<Optional<String>> notStartable(Runbook runbook,
      Function<Runbook, Future<Optional<String>>> notStartable) {
    return notStartable.apply(runbook).map(refused -> refused.map(why -> why + "; approve it first: rebound runbooks"
        + " approve " + runbook.id() + "@" + runbook.version() + " --approver SOMEONE (not its author, "
        + runbook.author() + ")"));
  }

  /** {@code check}'s outcome, awaited on a thread that may block (a drill's, the CLI's; not Vert.x's). */
  public static <T> T await(Future<T> check) {
    try {
      return check.await(CHECK_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new UnavailableException("the runbook's approval state could not be read within " + CHECK_TIMEOUT_S
          + " s", e);
    }
  }

  private static String missing(Scenario scenario) {
    return "runbook " + scenario.expectedRunbook() + " does not exist (any more)";
  }

  private BoundParams bind(Runbook runbook, Scenario scenario, DrillReport report) {
    Map<String, String> raw = new LinkedHashMap<>();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    scenario.params().forEach((name, value) ->
        raw.put(name, ParamSource.resolve(name, value, env.env(), env.demo()::getJson, today)));
    BoundParams bound = ParamBinder.bindStrings(runbook, raw);
    if (!bound.isValid()) {
      throw new DrillFailure("parameters of " + runbook.id() + ": " + String.join("; ", bound.errors()));
    }
    report.params = bound.toJson();
    return bound;
  }

  private void retrieve(Scenario scenario, DrillReport report) {
    try {
      List<String> found = env.retriever().runbooksFor(scenario.symptom());
      report.candidates = List.copyOf(found);
      report.chosenRunbook = found.isEmpty() ? null : found.get(0);
    } catch (RuntimeException e) {
      report.retrievalError = e.getMessage() == null ? e.toString() : e.getMessage();
    }
  }

  private void detect(RunbookChecks checks, Set<String> healthy, DrillReport report, long injected, DrillStop stop) {
    Instant until = Instant.now().plus(env.detectTimeout());
    while (true) {
      List<String> failing = checks.validation(Map.of()).stream()
          .filter(r -> !r.passed() && healthy.contains(r.name())).map(CheckResult::name).toList();
      if (!failing.isEmpty()) {
        report.detectionMs = millisSince(injected);
        report.detectedBy.addAll(failing);
        return;
      }
      if (Instant.now().isAfter(until)) {
        throw new DrillFailure("not detected: none of the runbook's validation checks (" + String.join(", ", healthy)
            + ") failed within " + env.detectTimeout().toSeconds() + "s of the fault");
      }
      stop.pause(env.poll());
    }
  }

  /**
   * Until the validation and invariants pass, or the drill's deadline: the engine's own settling
   * ({@link Settling}), with the drill's deadline as its window. The report shows each check's
   * newest result after every attempt.
   */
  private void validate(RunbookChecks checks, Map<String, JsonNode> outputs, DrillReport report, Instant deadline,
      Consumer<DrillReport> progress, DrillStop stop) {
    Map<Integer, CheckResult> newest = new java.util.TreeMap<>();
    Duration window = Duration.between(Instant.now(), deadline);
    Settling.Outcome outcome = Settling.settle(selected -> checks.run(outputs, selected),
        window.isNegative() ? Duration.ZERO : window, VALIDATION_POLL, (attempt, results, failing, retryIn) -> {
          results.forEach(r -> newest.put(r.index(), r.result()));
          report.validation.clear();
          report.validation.addAll(newest.values());
          progress.accept(report); // so the report shows which checks still fail
          return true;
        }, stop::pause, java.time.Clock.systemUTC());
    report.validation.clear();
    outcome.latest().forEach(r -> report.validation.add(r.result()));
    if (!outcome.passed()) {
      CheckResult first = outcome.firstFailing().orElseThrow();
      throw new DrillFailure("not recovered: validation check '" + first.name() + "' still fails (observed "
          + first.observed() + (first.message().isEmpty() ? "" : ", " + first.message()) + ")");
    }
  }

  private static void stepTimes(ObjectNode view, DrillReport report) {
    report.steps.clear();
    for (JsonNode s : view.path("steps")) {
      Long ms = null;
      if (s.path("started_at").isTextual() && s.path("finished_at").isTextual()) {
        ms = Duration.between(Instant.parse(s.path("started_at").asText()),
            Instant.parse(s.path("finished_at").asText())).toMillis();
      }
      report.steps.add(new DrillReport.StepTime(s.path("id").asText(), ms, s.path("state").asText()));
    }
  }

  /** Each affected asset's RTO against the measured recovery; RPO is compared where a step reports loss. */
  private void judge(Scenario scenario, DrillReport report, Map<String, JsonNode> outputs) {
    for (String id : scenario.assets()) {
      Asset asset = env.assets().apply(id).orElse(null);
      if (asset == null) {
        continue;
      }
      report.assets.add(new DrillReport.AssetVerdict(id, asset.rto().toSeconds(), asset.rpo().toSeconds(),
          report.recoveryMs <= asset.rto().toMillis()));
    }
    report.dataLoss = DataLoss.describe(outputs, report.assets);
    if (Boolean.FALSE.equals(report.withinRto())) {
      DrillReport.AssetVerdict late = report.assets.stream().filter(a -> !a.withinRto()).findFirst().orElseThrow();
      throw new DrillFailure("recovered in " + report.recoveryMs / 1000 + "s, beyond the RTO of " + late.id()
          + " (" + late.rtoSeconds() + "s)");
    }
  }

  private void cleanUp(DrillReport report, EngineDriver driver, Consumer<DrillReport> progress, DrillStop stop,
      boolean stopped) {
    if (report.status == DrillReport.Status.RUNNING) {
      report.status = DrillReport.Status.FAILED;
    }
    if (stopped) {
      // Saved before anything else: should the process end during the clean-up, the report
      // already says the drill failed and that its fault may still be in place.
      report.failure = DrillInterruption.describe(DrillInterruption.SHUTDOWN, report.toJson());
      report.finishedAt = Instant.now();
      try {
        progress.accept(report);
      } catch (RuntimeException e) {
        LOG.warn("drill {}: the report of its interruption was not saved: {}", report.drillId, e.getMessage());
      }
    }
    driver.abortUnlessOver("drill " + report.drillId + " ended: " + report.status.wire()
        + (stopped ? " (" + DrillInterruption.SHUTDOWN + ")" : ""), stop.stepPatience(ABORT_PATIENCE))
        .ifPresent(e -> LOG.warn("drill {}: run {} left as it is: {}", report.drillId, report.runId, e));
    if (driver.lastView() != null) {
      report.runState = driver.lastView().path("state").asText();
      if (report.steps.isEmpty()) {
        stepTimes(driver.lastView(), report);
      }
    }
    String notReset = null;
    try {
      env.demo().reset();
      report.demoReset = true;
    } catch (RuntimeException e) {
      notReset = "the demo system was not reset: " + e.getMessage();
      report.status = DrillReport.Status.FAILED;
    }
    if (stopped) {
      report.failure = DrillInterruption.describe(DrillInterruption.SHUTDOWN, report.toJson())
          + (notReset == null ? "" : "; " + notReset);
    } else if (notReset != null) {
      report.failure = (report.failure == null ? "" : report.failure + "; ") + notReset;
    }
    report.phase = "finished";
    report.finishedAt = Instant.now();
    progress.accept(report);
  }

  private static void phase(DrillReport report, String phase, Consumer<DrillReport> progress, DrillStop stop) {
    stop.check();
    report.phase = phase;
    progress.accept(report);
  }

  private static long millisSince(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
  }
}
