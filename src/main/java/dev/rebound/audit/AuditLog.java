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
 * {@code pool.withTransaction(...)}. If that transaction rolls back, the entry is gone and its
 * seq is reused by the next append: the log stays gap-free.
 *
 * <p><b>Serialisation.</b> Appends are serialised across all replicas by a lock on the chain's
 * head, held until the appending transaction ends. Append <em>last</em> in a transaction, just
 * before it commits, and never wait for anything slow (an HTTP call, a person) between the append
 * and the commit: every other appender in every replica waits that long. Use READ COMMITTED (the
 * default); under REPEATABLE READ or SERIALIZABLE a concurrent append makes the transaction fail
 * with a serialisation error, to be retried by the caller.
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
   * Appends within the caller's transaction; the entry becomes visible, and final, when that
   * transaction commits.
   *
   * @param tx a connection with an open transaction
   * @return the entry as stored (masked details, seq, hashes)
   */
  Future<AuditEntry> append(SqlConnection tx, AuditEvent event);

  /**
   * Appends {@code events}, in this order, within the caller's transaction, as {@link
   * #append(SqlConnection, AuditEvent)} does for one; implementations may do it in one round trip.
   *
   * @return the entries as stored, in the order given (empty for no events)
   */
  default Future<List<AuditEntry>> appendAll(SqlConnection tx, List<AuditEvent> events) {
    Future<List<AuditEntry>> chain = Future.succeededFuture(new ArrayList<>());
    for (AuditEvent event : events) {
      chain = chain.compose(stored -> append(tx, event).map(entry -> {
        stored.add(entry);
        return stored;
      }));
    }
    return chain;
  }

  /**
   * Appends outside any caller transaction; committed when the future succeeds. Appends made at
   * the same moment may share one transaction (group commit), each still getting its own entry,
   * in the order the calls were made. For events that change no state of their own: LLM calls,
   * tool calls, chat.
   */
  Future<AuditEntry> append(AuditEvent event);
}
