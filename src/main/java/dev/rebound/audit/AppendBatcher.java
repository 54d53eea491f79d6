package dev.rebound.audit;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit for appends that are not part of a caller's transaction (LLM calls, tool calls,
 * chat: the bulk of the log). One transaction per entry (insert, commit, then a seal with its own
 * commit) costs two commit flushes and two round trips per entry. Here at most one write is in
 * flight per {@code PgAuditLog}; appends arriving meanwhile queue up and go together in the next
 * one: one statement ({@code audit_append_sealed}, V18, autocommit) that seals the entries already
 * committed to {@code audit_pending} and then chains the batch straight into {@code audit_log}
 * (no pending row: nothing can roll it back apart from its own statement), so one round trip and
 * one commit serve many entries. An idle log writes a batch of one at once, so batching adds no
 * latency.
 *
 * <p>A failed write fails every append in it, and nothing of it is committed: neither chained nor
 * left pending. Each future completes on the Vert.x context that submitted it (if any), after the
 * commit; the entries of one batch are chained in the order they were submitted. Entries of other
 * writers that the write sealed along the way are handed to the {@link AuditSealer}'s waiters.
 * Thread-safe: the queue is guarded by this object's monitor. The queue is not bounded: callers
 * wait for their append before making the next, which is the back-pressure.
 */
final class AppendBatcher {
  static final int DEFAULT_MAX_BATCH = 200;
  private static final String APPEND_SEALED = "select * from audit_append_sealed($1::timestamptz[], $2::text[],"
      + " $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],"
      + " $11::text[], $12)";

  private final Pool pool;
  private final AuditSealer sealer;
  private final int maxBatch;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean writing;

  AppendBatcher(Pool pool, AuditSealer sealer, int maxBatch) {
    this.pool = pool;
    this.sealer = sealer;
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
    Future<RowSet<Row>> written;
    try {
      written = write(batch.stream().map(Pending::entry).toList());
    } catch (RuntimeException e) {
      // Never leave "writing" set with nobody to clear it: every later append would hang.
      written = Future.failedFuture(e);
    }
    written.onComplete(result -> {
      // The next batch goes to the database first: checking and answering this one (JSON parsed
      // and hashes recomputed, about as long as the write itself) then overlaps its round trip.
      writeNext();
      List<AuditEntry> entries = null;
      Throwable failure = result.cause();
      if (result.succeeded()) {
        try {
          entries = ours(batch.size(), result.result());
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).complete(failure == null
            ? Future.succeededFuture(entries.get(i))
            : Future.failedFuture(failure));
      }
    });
  }

  /** Chains {@code entries} in one statement; the rows it returns (see {@link #ours}). */
  private Future<RowSet<Row>> write(List<PreparedEntry> entries) {
    Tuple args = PgAuditLog.columns(entries).addValue(AuditSealer.BATCH);
    return pool.preparedQuery(APPEND_SEALED).execute(args);
  }

  /** The stored entries of this batch, in the order given; the others sealed with them go to their waiters. */
  private List<AuditEntry> ours(int expected, RowSet<Row> rows) {
    List<AuditEntry> ours = sealer.ours(rows);
    if (ours.size() != expected) {
      throw new IllegalStateException("audit_append_sealed sealed " + ours.size() + " entries of " + expected);
    }
    return ours;
  }
}
