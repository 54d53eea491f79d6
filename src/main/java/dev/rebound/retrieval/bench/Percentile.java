package dev.rebound.retrieval.bench;

/** Nearest-rank percentiles of latencies, as the benchmarks print them. */
final class Percentile {
  private Percentile() {}

  /** The {@code p}th percentile (nearest rank) of {@code sorted}, ascending and not empty. */
  static double of(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
