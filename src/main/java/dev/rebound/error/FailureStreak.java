package dev.rebound.error;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reports a failure that a loop meets on every tick (the engine's poll, the audit's seals) while
 * something it needs is away, typically the database: the first failure of a streak at once, then
 * at most one line per {@link #EVERY} with how many failed meanwhile and the latest cause, and one
 * line when it works again. Logged on every tick, an outage buried everything else under several
 * WARN lines a second.
 *
 * <p>Writes through the caller's sinks ({@code LOG::warn}, {@code LOG::info}), so the lines carry
 * the caller's logger and this package stays free of logging frameworks. Thread-safe.
 */
public final class FailureStreak {
  public static final Duration EVERY = Duration.ofMinutes(1);

  private final String what;
  private final Clock clock;
  private final Consumer<String> warn;
  private final Consumer<String> info;
  private Instant since;
  private Instant reported;
  private long failures;
  private long unreported;

  /** @param what what fails, as the start of a sentence: {@code "engine poll"} */
  public FailureStreak(String what, Clock clock, Consumer<String> warn, Consumer<String> info) {
    this.what = Objects.requireNonNull(what, "what");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.warn = Objects.requireNonNull(warn, "warn");
    this.info = Objects.requireNonNull(info, "info");
  }

  /** One more failure: reported if it starts a streak or the last report is {@link #EVERY} old. */
  public void failed(Throwable cause) {
    Instant now = clock.instant();
    String line = null;
    synchronized (this) {
      failures++;
      if (since == null) {
        since = now;
        reported = now;
        line = what + " failed: " + cause;
      } else if (Duration.between(reported, now).compareTo(EVERY) >= 0) {
        line = what + " still failing after " + seconds(since, now) + " s (" + (unreported + 1)
            + " more failures since the last report): " + cause;
        reported = now;
        unreported = 0;
      } else {
        unreported++;
      }
    }
    if (line != null) {
      warn.accept(line);
    }
  }

  /** A success: ends a streak, if there was one, with one line saying how long it lasted. */
  public void succeeded() {
    Instant now = clock.instant();
    String line;
    synchronized (this) {
      if (since == null) {
        return;
      }
      line = what + " works again after " + seconds(since, now) + " s (" + failures
          + (failures == 1 ? " failure)" : " failures)");
      since = null;
      failures = 0;
      unreported = 0;
    }
    info.accept(line);
  }

  private static long seconds(Instant from, Instant to) {
    return Duration.between(from, to).toSeconds();
  }
}
