package dev.rebound.engine.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DriftStatisticsTest {
  private static double[] range(int from, int to) {
    return IntStream.rangeClosed(from, to).asDoubleStream().toArray();
  }

  private static double[] normal(long seed, int n, double mean) {
    Random random = new Random(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = mean + random.nextGaussian();
    }
    return out;
  }

  @Test
  void identical_samples_have_psi_and_ks_zero() {
    double[] sample = normal(1, 1_000, 0);

    assertThat(DriftStatistics.psi(sample, sample.clone(), 10)).isEqualTo(0.0);
    assertThat(DriftStatistics.ks(sample, sample.clone())).isEqualTo(0.0);
  }

  @Test
  void psi_of_two_bins_matches_the_hand_computed_value() {
    // Reference 1..10, 2 bins: edge at the median 5, so 50% / 50%. Current: 2 of 10 at or below 5.
    double[] current = {1, 2, 6, 7, 8, 9, 10, 10, 10, 10};

    // (0.2 - 0.5)·ln(0.2/0.5) + (0.8 - 0.5)·ln(0.8/0.5)
    assertThat(DriftStatistics.psi(range(1, 10), current, 2)).isCloseTo(0.41588830833596724, within(1e-12));
  }

  @Test
  void psi_of_four_quantile_bins_matches_the_hand_computed_value() {
    // Reference 1..8, 4 bins: edges 2, 4, 6 (25% each). Current: 4/8, 1/8, 1/8, 2/8.
    double[] current = {1, 1, 1, 1, 3, 5, 7, 8};

    assertThat(DriftStatistics.quantileEdges(range(1, 8), 4)).containsExactly(2, 4, 6);
    assertThat(DriftStatistics.psi(range(1, 8), current, 4)).isCloseTo(0.34657359027997264, within(1e-12));
  }

  @Test
  void an_empty_bin_is_smoothed_with_epsilon_instead_of_being_infinite() {
    double[] current = {6, 7, 8, 9, 10};

    // (1e-4 - 0.5)·ln(1e-4/0.5) + (1 - 0.5)·ln(1/0.5)
    assertThat(DriftStatistics.psi(range(1, 10), current, 2)).isCloseTo(4.60431846666895, within(1e-9));
  }

  @Test
  void repeated_reference_values_merge_bins() {
    double[] constant = {3, 3, 3, 3, 3, 3};

    assertThat(DriftStatistics.quantileEdges(constant, 10)).containsExactly(3);
    assertThat(DriftStatistics.psi(constant, constant.clone(), 10)).isEqualTo(0.0);
  }

  @Test
  void ks_of_small_samples_matches_the_hand_computed_value() {
    assertThat(DriftStatistics.ks(new double[] {1, 2, 3, 4}, new double[] {3, 4, 5, 6})).isEqualTo(0.5);
    assertThat(DriftStatistics.ks(new double[] {1, 2}, new double[] {10, 20})).isEqualTo(1.0);
    // ties: both CDFs jump at 2 together
    assertThat(DriftStatistics.ks(new double[] {1, 2, 2, 3}, new double[] {2, 2, 3, 3})).isEqualTo(0.25);
  }

  @Test
  void ks_of_normal_samples_shifted_by_half_a_sigma_approaches_its_known_value() {
    // sup |Φ(x) - Φ(x - 0.5)| = 2Φ(0.25) - 1 = 0.19741
    double ks = DriftStatistics.ks(normal(7, 20_000, 0), normal(8, 20_000, 0.5));

    assertThat(ks).isCloseTo(0.19741, within(0.02));
  }

  @Test
  void psi_grows_with_the_shift() {
    double[] reference = normal(3, 10_000, 0);

    double same = DriftStatistics.psi(reference, normal(4, 10_000, 0), 10);
    double shifted = DriftStatistics.psi(reference, normal(5, 10_000, 0.5), 10);

    assertThat(same).isLessThan(0.01);
    assertThat(shifted).isGreaterThan(0.2);
  }

  @Test
  void refuses_empty_samples_nan_and_bad_bins() {
    assertThatThrownBy(() -> DriftStatistics.ks(new double[0], new double[] {1}))
        .hasMessage("reference sample is empty");
    assertThatThrownBy(() -> DriftStatistics.psi(new double[] {1}, new double[] {Double.NaN}, 10))
        .hasMessage("current sample contains NaN");
    assertThatThrownBy(() -> DriftStatistics.psi(new double[] {1}, new double[] {1}, 1))
        .hasMessage("bins must be 2..100, got 1");
  }

  @Test
  void percentiles_are_nearest_rank() {
    long[] values = {50, 10, 40, 30, 20, 60, 70, 80, 90, 100};

    assertThat(Percentiles.nearestRank(values, 0.50)).isEqualTo(50);
    assertThat(Percentiles.nearestRank(values, 0.95)).isEqualTo(100);
    assertThat(Percentiles.nearestRank(new long[] {7}, 0.95)).isEqualTo(7);
    long[] twenty = IntStream.rangeClosed(1, 20).asLongStream().toArray();
    assertThat(Percentiles.nearestRank(twenty, 0.95)).as("one outlier of 20 does not count").isEqualTo(19);
  }
}
