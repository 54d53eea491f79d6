package dev.rebound.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * How long {@code rebound serve} runs. {@link #runUntilStopped} blocks until a stop is requested,
 * then runs {@code stop} (closing the service, which takes at most {@code stopTakesAtMost}) before
 * it returns.
 */
@FunctionalInterface
public interface Lifetime {
  void runUntilStopped(Duration stopTakesAtMost, Runnable stop) throws InterruptedException;

  /**
   * Until SIGTERM/SIGINT. The JVM halts as soon as its shutdown hooks return, so the hook waits
   * (at most {@code stopTakesAtMost}) for the main thread to finish {@code stop}: otherwise the
   * steps still executing, the pool and the HTTP server would be cut off mid-close.
   */
  static Lifetime untilJvmShutdown() {
    return (stopTakesAtMost, stop) -> {
      CountDownLatch stopRequested = new CountDownLatch(1);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stopRequested.countDown();
        try {
          stopped.await(stopTakesAtMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "rebound-shutdown"));
      stopRequested.await();
      try {
        stop.run();
      } finally {
        stopped.countDown();
      }
    };
  }

  /** Until {@code signal} completes (tests). */
  static Lifetime until(Future<?> signal) {
    return (stopTakesAtMost, stop) -> {
      try {
        signal.get();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
        // a failed or cancelled signal also means "stop"
      }
      stop.run();
    };
  }
}
