package dev.rebound.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks a running drill to end early (the service is stopping). The drill notices at its next
 * phase or pause and ends as failed through its normal clean-up (its run aborted, the demo
 * system reset); never in the middle of a call, as an interrupt would, whose effect it would
 * then not know (a run created but its id lost, a report half saved).
 */
final class DrillStop {
  private final CountDownLatch asked = new CountDownLatch(1);
  /** Until when the clean-up may wait for the run's step to end; null: as long as it would anyway. */
  private volatile Instant stepWaitEnds;

  void ask() {
    asked.countDown();
  }

  /**
   * Asks it to stop, waiting at most {@code grace} for its run's step to end: as long as the
   * stopping engine waits for that step, which it then leaves to lease recovery. The drill then
   * leaves its run as it is too, resets the demo system and saves its report within the grace,
   * instead of waiting on for a step this process will not see end.
   */
  void ask(Duration grace) {
    stepWaitEnds = Instant.now().plus(grace);
    asked.countDown();
  }

  /** How long the clean-up may still wait for the run's step to end: {@code max}, less once a grace runs out. */
  Duration stepPatience(Duration max) {
    Instant ends = stepWaitEnds;
    if (ends == null) {
      return max;
    }
    Duration left = Duration.between(Instant.now(), ends);
    return left.isNegative() ? Duration.ZERO : left.compareTo(max) < 0 ? left : max;
  }

  boolean asked() {
    return asked.getCount() == 0;
  }

  /** Ends the drill here if it was asked to stop. */
  void check() {
    if (asked()) {
      throw new Stopped();
    }
  }

  /** Waits {@code d}, or ends the drill as soon as it is asked to stop. */
  void pause(Duration d) {
    try {
      if (asked.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new Stopped();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DrillFailure("interrupted");
    }
  }

  /** How a drill that was asked to stop ends: its runner writes the failure ({@link DrillInterruption}). */
  static final class Stopped extends RuntimeException {
    Stopped() {
      super("stopped", null, false, false);
    }
  }
}
