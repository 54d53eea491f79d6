package dev.rebound.engine;

import dev.rebound.error.FailureStreak;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts work and finds work. Every execution goes through {@link #submit}, which runs at most one
 * piece of work per step (or per run's owed work) at a time in this instance and tracks it so
 * {@link #stop} can wait for it. The poller asks the database every {@code pollInterval} for
 * approved steps, expired leases and unclaimed run work; whether this instance gets to do it is
 * decided by the atomic claims, so any number of instances may poll the same database.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final int BATCH = 100;
  private static final int GAUGE_EVERY_TICKS = 10;
  /** Keys of {@link #inFlight}: a step's execution or recovery, and a run's own work. */
  private static final String STEP = "step:";
  private static final String RUN = "run:";

  private final Core core;
  private final StepExecution steps;
  private final StepRecovery recovery;
  private final RunWork work;
  private final Map<String, Future<?>> inFlight = new ConcurrentHashMap<>();
  /**
   * Runs whose owed work was asked for while their work was already running here: a rollback
   * asked of this instance during the run's validation. Looked at again when that work ends, so
   * the rollback starts then rather than once its lease ran out and a poller found it.
   */
  private final Map<String, Runnable> askedAgain = new ConcurrentHashMap<>();
  private volatile boolean stopped;
  private volatile boolean polling;
  private long timer = -1;
  private long ticks;
  /** Every poll fails while the database is away: reported when that starts, ends, and once a minute. */
  private final FailureStreak pollFailures;

  Dispatcher(Core core, StepExecution steps, StepRecovery recovery, RunWork work) {
    this.core = core;
    this.pollFailures = new FailureStreak("engine poll", core.settings.clock(), LOG::warn, LOG::info);
    this.steps = steps;
    this.recovery = recovery;
    this.work = work;
  }

  void approvedStep(String runId, String stepId) {
    submit(STEP + runId + "/" + stepId, () -> steps.runApproved(runId, stepId));
  }

  /**
   * Runs a step this instance claimed (in its approval's transaction). Were the dispatcher to
   * refuse it (stopping), the step stays running under a lease nobody renews, and recovery takes
   * it over once the lease expires.
   */
  void claimedStep(StepClaim.Claimed claimed, Instant began) {
    String runId = claimed.fresh().run().id();
    submit(STEP + runId + "/" + claimed.row().stepId(), () -> steps.execute(claimed, began));
  }

  /** Whether new work is started here (not once {@link #stop} was called). */
  boolean accepting() {
    return !stopped;
  }

  Future<Void> runWork(String runId) {
    return submit(RUN + runId, () -> work.run(runId), () -> runWork(runId));
  }

  /** Runs {@code task} unless the same key is already running here or the dispatcher stopped. */
  Future<Void> submit(String key, Supplier<Future<?>> task) {
    return submit(key, task, null);
  }

  /** As above; when the key is already running here, {@code again} (if any) runs once it ended. */
  private Future<Void> submit(String key, Supplier<Future<?>> task, Runnable again) {
    if (stopped) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    if (inFlight.putIfAbsent(key, done.future()) != null) {
      if (again != null) {
        askedAgain.put(key, again);
        // The work may have ended in between: whoever removes the mark runs it, once.
        if (!inFlight.containsKey(key)) {
          runAskedAgain(key);
        }
      }
      return Future.succeededFuture();
    }
    Future<?> started;
    try {
      started = task.get();
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    started.onComplete(r -> {
      inFlight.remove(key);
      if (r.failed()) {
        LOG.warn("engine work {} failed: {}", key, r.cause().toString());
      }
      done.complete();
      runAskedAgain(key);
    });
    return done.future();
  }

  private void runAskedAgain(String key) {
    Runnable again = askedAgain.remove(key);
    if (again != null) {
      again.run();
    }
  }

  /** One look for work; completes when it was handed out (not when it is done). */
  Future<Void> pollOnce() {
    if (stopped || polling) {
      return Future.succeededFuture();
    }
    polling = true;
    // The audit's safety net rides on this timer (and runs at start-up): committed entries that no
    // seal took yet, e.g. left by a killed process, enter the chain within one interval.
    // A failed seal is reported by the audit's sealer, once per streak of failures.
    core.store.sealAudit();
    Future<Void> gauge = ticks++ % GAUGE_EVERY_TICKS == 0
        ? core.store.countByState().onSuccess(core.metrics::runsByState).<Void>mapEmpty().recover(e -> Future.succeededFuture())
        : Future.succeededFuture();
    return gauge.compose(v -> core.store.dispatchable(BATCH)).map(found -> {
      for (RunStore.Dispatchable d : found) {
        switch (d.kind()) {
          case APPROVED_STEP -> approvedStep(d.runId(), d.stepId().orElseThrow());
          case EXPIRED_STEP_LEASE -> submit(STEP + d.runId() + "/" + d.stepId().orElseThrow(),
              () -> recovery.recover(d.runId(), d.stepId().get()));
          case RUN_WORK -> runWork(d.runId());
        }
      }
      return (Void) null;
    }).onSuccess(v -> pollFailures.succeeded())
        .onFailure(pollFailures::failed)
        .onComplete(r -> polling = false);
  }

  void start() {
    stopped = false;
    pollOnce();
    long every = core.settings.pollInterval().toMillis();
    if (every > 0) {
      timer = core.vertx.setPeriodic(every, id -> pollOnce());
    }
  }

  /** Stops finding and starting work, then waits for what is running here to end. */
  Future<Void> stop() {
    stopAccepting();
    return everythingEnded();
  }

  /**
   * Stops finding and starting work at once, then waits at most {@code grace} for what is running
   * here to end. Completes with whether it all ended: work still running is not cut off, only no
   * longer waited for.
   */
  Future<Boolean> stop(Duration grace) {
    stopAccepting();
    if (inFlight.isEmpty()) {
      return Future.succeededFuture(true);
    }
    if (grace.isZero() || grace.isNegative()) {
      return Future.succeededFuture(false);
    }
    Promise<Boolean> ended = Promise.promise();
    long graceTimer = core.vertx.setTimer(grace.toMillis(), id -> ended.tryComplete(false));
    everythingEnded().onComplete(r -> {
      core.vertx.cancelTimer(graceTimer);
      ended.tryComplete(true);
    });
    return ended.future();
  }

  private void stopAccepting() {
    stopped = true;
    if (timer >= 0) {
      core.vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private Future<Void> everythingEnded() {
    List<Future<?>> running = new ArrayList<>(inFlight.values());
    return Future.join(running).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  int inFlight() {
    return inFlight.size();
  }

  /** What runs here now: its step, or the run whose own work (checks, rollback) it is. */
  List<Engine.Executing> executing() {
    return inFlight.keySet().stream().sorted().map(Dispatcher::executing).toList();
  }

  private static Engine.Executing executing(String key) {
    if (key.startsWith(STEP)) {
      String[] runAndStep = key.substring(STEP.length()).split("/", 2);
      return new Engine.Executing(runAndStep[0], Optional.of(runAndStep[1]));
    }
    return new Engine.Executing(key.substring(RUN.length()), Optional.empty());
  }
}
