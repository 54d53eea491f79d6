package dev.rebound.http;

import io.vertx.core.Future;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs an expensive call at most once at a time: a caller arriving while it runs shares that
 * call's result instead of starting another. Nothing is kept once the call ends, so the next
 * caller starts a fresh one: a shared result is never older than the one call that was already
 * running when its caller arrived.
 *
 * <p>Thread-safe (state guarded by this object's monitor): requests arrive on event loops, the
 * call completes on its own context.
 */
final class SingleFlight<T> {
  /** The call's result; {@code joined}: it was already running when this caller arrived. */
  record Shared<T>(Future<T> result, boolean joined) {}

  private final Supplier<Future<T>> call;
  private Future<T> inFlight;

  SingleFlight(Supplier<Future<T>> call) {
    this.call = Objects.requireNonNull(call, "call");
  }

  synchronized Shared<T> get() {
    if (inFlight != null) {
      return new Shared<>(inFlight, true);
    }
    Future<T> started;
    try {
      started = call.get();
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    inFlight = started;
    Future<T> mine = started;
    // Registered after the assignment, so a call that completed at once is forgotten too.
    mine.onComplete(done -> forget(mine));
    return new Shared<>(mine, false);
  }

  private synchronized void forget(Future<T> done) {
    if (inFlight == done) {
      inFlight = null;
    }
  }
}
