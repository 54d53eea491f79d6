package dev.rebound.engine.check;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/** Short human text for observed/expected values. */
final class Texts {
  private Texts() {}

  /** 850ms, 42s, 3m 05s, 2h 10m. */
  static String duration(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
  }

  /** A number without trailing zeros: 0.2, 1, 0.0125. */
  static String number(double x) {
    return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }

  static String clip(String text, int max) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "…";
  }

  static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
