package dev.rebound.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code engine:} block of rebound.yaml: how long the checks after a change (a step's verify
 * and the invariants after it, a run's final validation, the invariants after a rollback) may
 * take to settle. A service needs a moment after a rollback or a model load (caches cold, a burst
 * of reloads); a check that fails right after the change is re-run every {@code interval} until it
 * passes or {@code window} has passed, and only then fails the step or run, with the last result.
 * Preconditions are never re-run this way: they decide whether anything may run at all.
 *
 * @param window how long failing checks are re-run; {@link Duration#ZERO} judges the first result
 * @param interval the pause between re-runs
 */
public record SettleSettings(Duration window, Duration interval) {
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,7})(ms|s|m)");

  public SettleSettings {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(interval, "interval");
    if (window.isNegative() || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("settle window must be 0 or more and its interval positive");
    }
  }

  public static SettleSettings defaults() {
    return new SettleSettings(DEFAULT_WINDOW, DEFAULT_INTERVAL);
  }

  /** No settling: the first result decides. */
  public static SettleSettings none() {
    return new SettleSettings(Duration.ZERO, DEFAULT_INTERVAL);
  }

  /** {@code 500ms}, {@code 30s}, {@code 2m}; zero allowed. */
  static Optional<Duration> parse(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    });
  }
}
