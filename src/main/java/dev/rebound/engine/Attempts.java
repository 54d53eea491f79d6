package dev.rebound.engine;

import dev.rebound.engine.action.ActionContext;
import dev.rebound.engine.action.ActionFailedException;
import dev.rebound.engine.action.ActionOutcome;
import dev.rebound.runbook.Action;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One execution of an action with the step's retries. A failed try is retried only when the
 * executor says retrying can help, tries remain, and either nothing was applied or the step is
 * idempotent: after an unknown outcome a non-idempotent step must not run again by itself. The
 * idempotency key stays the same across tries, so a target can recognise them.
 */
final class Attempts {
  private Attempts() {}

  /**
   * What happened: an outcome, or the last failure; whether any try may have applied the action;
   * after a success, the runbook file as read on the action's worker right after it returned.
   */
  record Result(Optional<ActionOutcome> outcome, Optional<ActionFailedException> failure, boolean anyUnknown,
      int tries, boolean abandoned, Future<Optional<Runbook>> runbookAfter) {
    boolean succeeded() {
      return outcome.isPresent();
    }
  }

  /** A failed try that will be retried, for the caller to record before the backoff. */
  record Retry(int tryNumber, int maxTries, ActionFailedException failure, Duration backoff) {}

  /**
   * @param onRetry records a retry; completing with false (the lease was lost) stops retrying
   */
  static Future<Result> execute(Core core, Step step, Action real, ActionContext ctx,
      Function<Retry, Future<Boolean>> onRetry) {
    return execute(core, step, real, ctx, onRetry, Optional::empty);
  }

  /**
   * @param onRetry records a retry; completing with false (the lease was lost) stops retrying
   * @param runbookAfter reads the runbook file (blocking); called on the action's worker right
   *     after a successful try, which spares the step's completion another hop to a worker
   */
  static Future<Result> execute(Core core, Step step, Action real, ActionContext ctx,
      Function<Retry, Future<Boolean>> onRetry, Supplier<Optional<Runbook>> runbookAfter) {
    return attempt(core, step, real, ctx, 1, step.retries().max() + 1, false, onRetry, runbookAfter);
  }

  private static Future<Result> attempt(Core core, Step step, Action real, ActionContext ctx, int tryNumber,
      int maxTries, boolean unknownSoFar, Function<Retry, Future<Boolean>> onRetry,
      Supplier<Optional<Runbook>> runbookAfter) {
    return core.blocking(() -> {
          ActionOutcome outcome;
          try {
            outcome = core.actions.execute(real, ctx);
          } catch (ActionFailedException e) {
            return failed(Optional.of(e), unknownSoFar || e.outcomeUnknown(), tryNumber, false);
          } catch (RuntimeException e) {
            // A broken executor: it may have acted before throwing.
            ActionFailedException wrapped = new ActionFailedException(core.renderer.masker().mask(
                "executor failed unexpectedly: " + e), false, true, null);
            return failed(Optional.of(wrapped), true, tryNumber, false);
          }
          // Outside the try: a runbook file that cannot be read is not the action's failure.
          Future<Optional<Runbook>> runbook;
          try {
            runbook = Future.succeededFuture(runbookAfter.get());
          } catch (RuntimeException e) {
            runbook = Future.failedFuture(e);
          }
          return new Result(Optional.of(outcome), Optional.empty(), unknownSoFar, tryNumber, false, runbook);
        })
        .compose(result -> {
          if (result.succeeded()) {
            return Future.succeededFuture(result);
          }
          ActionFailedException e = result.failure().get();
          boolean again = tryNumber < maxTries && e.retryable() && (!e.outcomeUnknown() || step.idempotent());
          if (!again) {
            return Future.succeededFuture(result);
          }
          Duration backoff = min(step.retries().backoff(), core.settings.maxBackoff());
          return onRetry.apply(new Retry(tryNumber, maxTries, e, backoff)).compose(keepGoing -> keepGoing
              ? sleep(core, backoff).compose(v -> attempt(core, step, real, ctx, tryNumber + 1, maxTries,
                  result.anyUnknown(), onRetry, runbookAfter))
              : Future.succeededFuture(failed(Optional.of(e), result.anyUnknown(), tryNumber, true)));
        });
  }

  private static Result failed(Optional<ActionFailedException> failure, boolean anyUnknown, int tries,
      boolean abandoned) {
    return new Result(Optional.empty(), failure, anyUnknown, tries, abandoned,
        Future.succeededFuture(Optional.empty()));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static Future<Void> sleep(Core core, Duration d) {
    if (d.isZero() || d.isNegative()) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    core.vertx.setTimer(Math.max(1, d.toMillis()), id -> promise.complete());
    return promise.future();
  }

  /** Renews a lease every third of its length until the returned handle is cancelled. */
  static Runnable keepAlive(Core core, Function<Duration, Future<Boolean>> renew) {
    Duration lease = core.settings.lease();
    long period = Math.max(10, lease.toMillis() / 3);
    long timer = core.vertx.setPeriodic(period, id -> renew.apply(lease));
    return () -> core.vertx.cancelTimer(timer);
  }
}
