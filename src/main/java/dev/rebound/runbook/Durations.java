package dev.rebound.runbook;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runbook durations: a whole number and one unit, {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}. Deliberately no compound forms ({@code 1h30m}) or ISO-8601: a person approving a
 * step at 3 a.m. should read the timeout at a glance.
 */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("([0-9]+)(ms|s|m|h)");
  static final String HINT = "use a whole number with ms, s, m or h, e.g. 500ms, 30s, 5m, 2h";

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null) {
      throw new InvalidDurationException("missing duration (" + HINT + ")");
    }
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new InvalidDurationException(invalidMessage(text));
    }
    try {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        default:
          return Duration.ofHours(n);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidDurationException("duration \"" + text + "\" is too large");
    }
  }

  static String invalidMessage(String text) {
    return "\"" + text + "\" is not a duration (" + HINT + ")";
  }

  /** The shortest exact form: 90s → {@code 90s}, 120s → {@code 2m}, 1500ms → {@code 1500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
