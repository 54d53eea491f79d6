package dev.rebound.audit;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit for appends that are not part of a caller's transaction (LLM calls, tool calls,
 * chat: the bulk of the log). The chain admits one appender at a time, and each holds the head
 * lock until its commit is flushed and the next waiter has been woken, so one transaction per
 * entry caps throughput at one lock hand-off per entry. Here at most one write is in flight per
 * {@code PgAuditLog}; appends arriving meanwhile queue up and go together in the next one: one
 * statement ({@code audit_append}, autocommit), one lock, one commit, many entries. An idle log
 * writes a batch of one at once, so batching adds no latency.
 *
 * <p>A failed write fails every append in it, and nothing of it is committed (no gap). Each
 * future completes on the Vert.x context that submitted it (if any), after the commit.
 * Thread-safe: the queue is guarded by this object's monitor. The queue is not bounded: callers
 * wait for their append before making the next, which is the back-pressure.
 */
final class AppendBatcher {
  static final int DEFAULT_MAX_BATCH = 200;

  private final Pool pool;
  private final int maxBatch;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean writing;

  AppendBatcher(Pool pool, int maxBatch) {
    this.pool = pool;
    this.maxBatch = maxBatch;
  }

  private record Pending(PreparedEntry entry, Promise<AuditEntry> promise, Context context) {
    void complete(AsyncResult<AuditEntry> result) {
      if (context == null || context == Vertx.currentContext()) {
        promise.handle(result);
      } else {
        context.runOnContext(v -> promise.handle(result));
      }
    }
  }

  Future<AuditEntry> submit(PreparedEntry entry) {
    Pending pending = new Pending(entry, Promise.promise(), Vertx.currentContext());
    boolean start;
    synchronized (this) {
      queue.add(pending);
      start = !writing;
      writing = true;
    }
    if (start) {
      writeNext();
    }
    return pending.promise().future();
  }

  private void writeNext() {
    List<Pending> batch = new ArrayList<>();
    synchronized (this) {
      while (batch.size() < maxBatch && !queue.isEmpty()) {
        batch.add(queue.poll());
      }
      if (batch.isEmpty()) {
        writing = false;
        return;
      }
    }
    List<PreparedEntry> entries = batch.stream().map(Pending::entry).toList();
    Future<List<AuditEntry>> written;
    try {
      written = PgAuditLog.appendAll(pool, entries);
    } catch (RuntimeException e) {
      // Never leave "writing" set with nobody to clear it: every later append would hang.
      written = Future.failedFuture(e);
    }
    written.onComplete(result -> {
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).complete(result.succeeded()
            ? Future.succeededFuture(result.result().get(i))
            : Future.failedFuture(result.cause()));
      }
      writeNext();
    });
  }
}
