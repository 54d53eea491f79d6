package dev.rebound.engine.check;

import java.time.Duration;
import java.util.Objects;

/**
 * One call of a {@link CheckRunner}: the time it may take. Like {@code ActionContext}, it holds
 * nothing process-wide (datasources, the asset inventory, the masker are fixed when the runners
 * are built).
 *
 * @param timeout the whole check (all queries, all probes, the whole download) must finish in it
 */
public record CheckContext(Duration timeout) {
  /** For checks outside a step (preconditions, invariants, validation): the format's step default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public CheckContext {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  public static CheckContext of(Duration timeout) {
    return new CheckContext(timeout);
  }

  public static CheckContext withDefaultTimeout() {
    return new CheckContext(DEFAULT_TIMEOUT);
  }
}
