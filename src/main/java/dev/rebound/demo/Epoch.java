package dev.rebound.demo;

import io.vertx.core.Future;

/**
 * Which seed state a background job (a backfill, a reindex) belongs to. A reset starts a new
 * epoch; a job started before it stops at its next step instead of writing into the re-created
 * schemas. Thread-safe.
 */
final class Epoch {
  private volatile long value;

  long current() {
    return value;
  }

  void advance() {
    value++;
  }

  /** Succeeds while {@code epoch} is still the current one. */
  Future<Void> check(long epoch) {
    return epoch == value ? Future.succeededFuture()
        : Future.failedFuture(new IllegalStateException("the demo platform was reset while the job ran"));
  }

  boolean isCurrent(long epoch) {
    return epoch == value;
  }
}
