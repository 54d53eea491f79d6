package dev.rebound.engine.target;

import java.time.Duration;

/**
 * A point in time a call must finish by, on the monotonic clock ({@link System#nanoTime()}), so
 * wall-clock jumps cannot stretch or cut a timeout. Started once per call; every sub-step (connect,
 * statement, read) gets what is left.
 */
public final class Deadline {
  private final long start;
  private final long end;
  private final Duration total;

  private Deadline(Duration total) {
    if (total.isNegative() || total.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + total);
    }
    this.total = total;
    this.start = System.nanoTime();
    this.end = start + total.toNanos();
  }

  public static Deadline after(Duration timeout) {
    return new Deadline(timeout);
  }

  /** The timeout this deadline was started with. */
  public Duration total() {
    return total;
  }

  /** Time left, never negative. */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, end - System.nanoTime()));
  }

  public boolean expired() {
    return end - System.nanoTime() <= 0;
  }

  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
