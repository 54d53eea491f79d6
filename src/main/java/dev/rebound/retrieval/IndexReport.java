package dev.rebound.retrieval;

import java.time.Duration;

/**
 * What one index run did. {@code embeddedChunks} is zero on a run over unchanged content.
 */
public record IndexReport(
    int added, int updated, int unchanged, int removed, int embeddedChunks, Duration took, String model, int dimension) {

  public int changed() {
    return added + updated + removed;
  }

  public double chunksPerSecond() {
    double s = took.toNanos() / 1e9;
    return s <= 0 ? 0 : embeddedChunks / s;
  }
}
