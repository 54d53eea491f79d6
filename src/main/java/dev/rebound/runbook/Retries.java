package dev.rebound.runbook;

import java.time.Duration;

/** How often a failed step is retried automatically, and how long to wait between tries. */
public record Retries(int max, Duration backoff) {
  /** Used when a runbook says {@code retries: {max: N}} without a backoff. */
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);

  public static final Retries NONE = new Retries(0, Duration.ZERO);

  public Retries {
    if (max < 0) {
      throw new IllegalArgumentException("retries.max must be >= 0");
    }
  }
}
