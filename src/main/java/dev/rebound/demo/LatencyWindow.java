package dev.rebound.demo;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * What one backend did for the gateway over the last minute: requests, errors, latencies. The
 * gateway's health rule reads {@link #errorRate()} and {@link #p95Ms()} (nearest rank). Event-loop
 * only.
 */
final class LatencyWindow {
  static final long WINDOW_MS = 60_000;

  private record Sample(long at, long latencyMs, boolean error) {}

  private final Deque<Sample> samples = new ArrayDeque<>();

  void record(long latencyMs, boolean error) {
    long now = System.currentTimeMillis();
    samples.addLast(new Sample(now, latencyMs, error));
    prune(now);
  }

  int count() {
    prune(System.currentTimeMillis());
    return samples.size();
  }

  double errorRate() {
    prune(System.currentTimeMillis());
    if (samples.isEmpty()) {
      return 0.0;
    }
    return samples.stream().filter(Sample::error).count() / (double) samples.size();
  }

  /** Nearest-rank p95 of the last minute's latencies; null with no requests. */
  Long p95Ms() {
    prune(System.currentTimeMillis());
    if (samples.isEmpty()) {
      return null;
    }
    long[] sorted = samples.stream().mapToLong(Sample::latencyMs).toArray();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(0.95 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  void clear() {
    samples.clear();
  }

  private void prune(long now) {
    while (!samples.isEmpty() && samples.peekFirst().at() < now - WINDOW_MS) {
      samples.removeFirst();
    }
  }
}
