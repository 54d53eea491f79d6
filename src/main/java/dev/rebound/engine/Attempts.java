package dev.rebound.engine;

import dev.rebound.engine.action.ActionContext;
import dev.rebound.engine.action.ActionFailedException;
import dev.rebound.engine.action.ActionOutcome;
import dev.rebound.runbook.Action;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * One execution of an action with the step's retries. A failed try is retried only when the
 * executor says retrying can help, tries remain, and either nothing was applied or the step is
 * idempotent: after an unknown outcome a non-idempotent step must not run again by itself. The
 * idempotency key stays the same across tries, so a target can recognise them.
 */
final class Attempts {
  private Attempts() {}

  /** What happened: an outcome, or the last failure; whether any try may have applied the action. */
  record Result(Optional<ActionOutcome> outcome, Optional<ActionFailedException> failure, boolean anyUnknown,
      int tries, boolean abandoned) {
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
    return attempt(core, step, real, ctx, 1, step.retries().max() + 1, false, onRetry);
  }

  private static Future<Result> attempt(Core core, Step step, Action real, ActionContext ctx, int tryNumber,
      int maxTries, boolean unknownSoFar, Function<Retry, Future<Boolean>> onRetry) {
    return core.blocking(() -> {
          try {
            return new Result(Optional.of(core.actions.execute(real, ctx)), Optional.empty(), unknownSoFar,
                tryNumber, false);
          } catch (ActionFailedException e) {
            return new Result(Optional.empty(), Optional.of(e), unknownSoFar || e.outcomeUnknown(), tryNumber, false);
          } catch (RuntimeException e) {
            // A broken executor: it may have acted before throwing.
            ActionFailedException wrapped = new ActionFailedException(core.renderer.masker().mask(
                "executor failed unexpectedly: " + e), false, true, null);
            return new Result(Optional.empty(), Optional.of(wrapped), true, tryNumber, false);
          }
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
                  result.anyUnknown(), onRetry))
              : Future.succeededFuture(new Result(Optional.empty(), Optional.of(e), result.anyUnknown(), tryNumber,
                  true)));
        });
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
