package dev.rebound.inventory;

import java.time.Duration;
import java.util.List;

/**
 * What a failure of {@code failed} takes down with it: everything downstream, nearest first.
 * {@code tightestRto} is the smallest RTO among the failed asset and those downstream, because
 * they stay broken until it is back: that RTO, not the failed asset's own, is the real deadline.
 */
public record Impact(Asset failed, List<Reach> affected, RtoBound tightestRto) {
  public Impact {
    affected = List.copyOf(affected);
  }

  /** The asset whose RTO bounds the recovery, and that RTO. */
  public record RtoBound(String assetId, Duration rto) {}
}
