package dev.rebound.engine.check;

import java.util.Arrays;

/**
 * Distribution shift between a reference and a current sample; pure functions.
 *
 * <p><b>PSI</b> (population stability index): bins are the reference sample's quantiles (bin
 * {@code k}'s upper edge is the nearest-rank {@code k/bins} quantile; equal edges from repeated
 * values merge, so there may be fewer bins), bins are right-closed ({@code (e[k-1], e[k]]}), and
 * {@code PSI = Σ (c_i - r_i) · ln(c_i / r_i)} over the reference and current proportions, each
 * floored at {@link #EPSILON} so an empty bin counts as rare rather than infinite. Rule of thumb:
 * below 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 large shift.
 *
 * <p><b>KS</b>: the two-sample Kolmogorov–Smirnov statistic, the largest distance between the two
 * empirical CDFs (0 for identical samples, 1 for disjoint ones). Ties are handled by stepping
 * over all equal values at once.
 */
public final class DriftStatistics {
  public static final double EPSILON = 1e-4;

  private DriftStatistics() {}

  public static double psi(double[] reference, double[] current, int bins) {
    if (bins < 2 || bins > 100) {
      throw new IllegalArgumentException("bins must be 2..100, got " + bins);
    }
    double[] ref = sorted(reference, "reference");
    double[] cur = sorted(current, "current");
    double[] edges = quantileEdges(ref, bins);
    long[] refCounts = counts(ref, edges);
    long[] curCounts = counts(cur, edges);
    double psi = 0;
    for (int i = 0; i < refCounts.length; i++) {
      double r = Math.max((double) refCounts[i] / ref.length, EPSILON);
      double c = Math.max((double) curCounts[i] / cur.length, EPSILON);
      psi += (c - r) * Math.log(c / r);
    }
    return psi;
  }

  public static double ks(double[] reference, double[] current) {
    double[] a = sorted(reference, "reference");
    double[] b = sorted(current, "current");
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < a.length && j < b.length) {
      double x = Math.min(a[i], b[j]);
      while (i < a.length && a[i] <= x) {
        i++;
      }
      while (j < b.length && b[j] <= x) {
        j++;
      }
      d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
    }
    return d;
  }

  /** Distinct upper edges of the first {@code bins - 1} bins: nearest-rank quantiles k/bins. */
  static double[] quantileEdges(double[] sortedReference, int bins) {
    int n = sortedReference.length;
    double[] edges = new double[bins - 1];
    int distinct = 0;
    for (int k = 1; k < bins; k++) {
      int rank = (int) Math.ceil((double) k * n / bins);
      double edge = sortedReference[Math.min(n - 1, Math.max(0, rank - 1))];
      if (distinct == 0 || edge > edges[distinct - 1]) {
        edges[distinct++] = edge;
      }
    }
    return Arrays.copyOf(edges, distinct);
  }

  /** Counts per bin; a value's bin is the number of edges strictly below it. */
  private static long[] counts(double[] sorted, double[] edges) {
    long[] counts = new long[edges.length + 1];
    for (double x : sorted) {
      int lo = 0;
      int hi = edges.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (edges[mid] < x) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      counts[lo]++;
    }
    return counts;
  }

  private static double[] sorted(double[] sample, String what) {
    if (sample == null || sample.length == 0) {
      throw new IllegalArgumentException(what + " sample is empty");
    }
    double[] copy = sample.clone();
    for (double x : copy) {
      if (Double.isNaN(x)) {
        throw new IllegalArgumentException(what + " sample contains NaN");
      }
    }
    Arrays.sort(copy);
    return copy;
  }
}
