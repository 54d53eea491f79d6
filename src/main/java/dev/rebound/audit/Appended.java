package dev.rebound.audit;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one transaction appended through {@link AuditLog#appendChained}: its entries chained in that
 * transaction, or left pending for a seal after its commit. Hand it to {@link AuditLog#committed}
 * once the transaction committed: chained entries are checked and answered then, not before (were
 * the transaction to roll back, they would never have been in the chain).
 */
public final class Appended {
  private final List<PendingEntry> pending;
  /** The rows {@code audit_append_chained} returned when it chained; null when the entries are pending. */
  private final RowSet<Row> chained;
  /** Told once when the transaction ended (see {@link #end}). */
  private final AtomicReference<Runnable> whenEnded = new AtomicReference<>(() -> {});

  private Appended(List<PendingEntry> pending, RowSet<Row> chained) {
    this.pending = pending;
    this.chained = chained;
  }

  /** Entries left in {@code audit_pending}, sealed after the commit. */
  public static Appended pending(List<PendingEntry> entries) {
    return new Appended(List.copyOf(entries), null);
  }

  static Appended chained(RowSet<Row> rows) {
    return new Appended(List.of(), Objects.requireNonNull(rows, "rows"));
  }

  /** The entries left pending (empty when they were chained in the transaction). */
  public List<PendingEntry> pending() {
    return pending;
  }

  boolean isChained() {
    return chained != null;
  }

  /** Runs {@code action} when the transaction that appended is told to have ended. */
  Appended whenEnded(Runnable action) {
    whenEnded.set(Objects.requireNonNull(action, "action"));
    return this;
  }

  /** The transaction ended (committed or rolled back): runs the action once, however often called. */
  void end() {
    Runnable action = whenEnded.getAndSet(null);
    if (action != null) {
      action.run();
    }
  }

  RowSet<Row> chainedRows() {
    return chained;
  }
}
