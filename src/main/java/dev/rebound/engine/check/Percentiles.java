package dev.rebound.engine.check;

import java.util.Arrays;

/** Nearest-rank percentiles: the smallest value with at least q of the sample at or below it. */
final class Percentiles {
  private Percentiles() {}

  static long nearestRank(long[] values, double q) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }
}
