package dev.rebound.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only, hash-chained record of everything Rebound and the people using it did.
 *
 * <p><b>Atomicity.</b> DESIGN requires a state change and its audit entry to commit together:
 * pass the transaction's connection to {@link #append(SqlConnection, AuditEvent)} inside
 * {@code pool.withTransaction(...)}. The entry is written to a pending table in that transaction,
 * so it commits or rolls back with the state change; a rolled-back entry leaves no trace and no
 * gap in the chain.
 *
 * <p><b>Sealing.</b> A committed pending entry is moved into the chain (seq, prev_hash, hash) by
 * a seal: right after the commit (nudged automatically for {@code pool.withTransaction}; other
 * callers nudge with {@link #sealed}), on the engine poller's timer, at start-up (entries left
 * pending by a killed process) and before every read of the log, so a reader after the commit
 * always sees the entry. Seals serialise on the chain's head, across replicas; the chain's order
 * is the sealing order, which keeps causal order (an entry committed before another's transaction
 * began has the smaller seq). No lock of the chain is held inside the caller's transaction, so
 * append anywhere in it; it works under any isolation level. The exception, by choice of the
 * caller: {@link #appendChained}, as a transaction's last statement before its COMMIT, chains the
 * entries right there when nobody holds the head (taking it without waiting), which saves the
 * seal after the commit; when the head is held it appends pending like the others.
 *
 * <p><b>The window.</b> Between the commit and the seal (milliseconds, or until the next seal
 * after a crash) an entry is durable but not yet chained: the table's trigger and privileges
 * protect it like any row, but a change made by its owner then goes undetected. Once sealed,
 * {@code audit verify} detects any change.
 *
 * <p><b>Idempotency.</b> None: every successful call adds an entry. A caller that retries after an
 * ambiguous failure (connection lost during commit) may record the event twice; two identical
 * entries are an honest record of two attempts, so no de-duplication is done.
 *
 * <p><b>Threading.</b> Non-blocking; returns Vert.x futures. Call from an event loop (the
 * connection's context) or any other thread; never {@code await} the future on an event loop.
 * There is no timeout of its own: the pool's connection timeout and PostgreSQL's
 * {@code lock_timeout}/{@code statement_timeout}, if configured, bound it.
 *
 * <p><b>Secrets.</b> Implementations mask configured secret values in {@code details} before
 * hashing and storing; identifiers (actor, subject, run, incident) must never carry secrets.
 */
public interface AuditLog {

  /**
   * Appends within the caller's transaction; the entry is committed with it and sealed into the
   * chain shortly after.
   *
   * @param tx a connection with an open transaction
   * @return the pending entry (its seq and hashes come with the seal: {@link #sealed})
   */
  Future<PendingEntry> append(SqlConnection tx, AuditEvent event);

  /**
   * Appends {@code events}, in this order, within the caller's transaction, as {@link
   * #append(SqlConnection, AuditEvent)} does for one; implementations may do it in one round trip.
   *
   * @return the pending entries, in the order given (empty for no events)
   */
  default Future<List<PendingEntry>> appendAll(SqlConnection tx, List<AuditEvent> events) {
    Future<List<PendingEntry>> chain = Future.succeededFuture(new ArrayList<>());
    for (AuditEvent event : events) {
      chain = chain.compose(stored -> append(tx, event).map(entry -> {
        stored.add(entry);
        return stored;
      }));
    }
    return chain;
  }

  /**
   * Appends {@code events}, in this order, as the last statement of the caller's transaction, whose
   * COMMIT follows at once. When nobody holds the chain's head they are chained right there (the
   * entries committed pending before are sealed first, so causal order holds) and the head stays
   * locked until that COMMIT: no seal, with its round trip and commit, is left to do after it.
   * When the head is held, or the transaction is not READ COMMITTED, they are appended pending,
   * as {@link #appendAll} does; nobody waits for the head inside a caller's transaction. An
   * implementation may also append pending when other appends of its own are under way (then
   * chaining in each transaction costs more than sealing them together after their commits). Either
   * way they commit or roll back with it. Not for a transaction that does more work after the
   * append: the head would stay locked meanwhile, and every seal wait for it.
   *
   * @return what to hand to {@link #committed} once the transaction committed
   */
  default Future<Appended> appendChained(SqlConnection tx, List<AuditEvent> events) {
    return appendAll(tx, events).map(Appended::pending);
  }

  /**
   * After the commit of the transaction that appended them with {@link #appendChained}: the
   * entries as stored in the chain, in the order given; those left pending are sealed first (as
   * {@link #sealed}). Never call it before the commit.
   */
  default Future<List<AuditEntry>> committed(Appended appended) {
    return sealed(appended.pending());
  }

  /**
   * The transaction that appended them with {@link #appendChained} did not commit (call instead
   * of {@link #committed}; nothing is written). Lets an implementation know the transaction is
   * over.
   */
  default void rolledBack(Appended appended) {}

  /**
   * Appends outside any caller transaction; committed and sealed when the future succeeds. For
   * events that change no state of their own: LLM calls, tool calls, chat. Implementations may
   * write appends that arrive together in one transaction (group commit); a failed write commits
   * none of them, neither chained nor pending, and fails each.
   */
  Future<AuditEntry> append(AuditEvent event);

  /**
   * After their transaction committed: seals (coalesced with other seals) and completes with the
   * entries as stored in the chain, in the order given. Fails for an entry whose transaction did
   * not commit; never call it before the commit.
   */
  Future<List<AuditEntry>> sealed(List<PendingEntry> committed);

  /**
   * Seals every entry committed before the call; completes when they are in the chain. Readers
   * call it first; the engine calls it at start-up and on its poller's timer.
   */
  Future<Void> seal();
}
