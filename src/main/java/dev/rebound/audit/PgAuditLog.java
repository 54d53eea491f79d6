package dev.rebound.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * {@link AuditLog} in PostgreSQL ({@code audit_log}, {@code audit_head} and the function
 * {@code audit_append}; see V2__audit_log.sql).
 *
 * <p>Every append, of one entry or of a batch, is one statement, so the chain lock is held as
 * briefly as possible: {@code audit_append} locks the head row, reserves the seqs, hashes the
 * entries in order and inserts them. Java prepares each entry's canonical JSON in two halves
 * around its seq (which only the locked head knows) and PostgreSQL computes
 * {@code sha256(prev_hash || before || seq || after)}. Every returned hash is recomputed here and
 * the append fails if one differs, so a caller's transaction rolls back rather than commit an
 * entry that would not verify.
 *
 * <p>{@link #append(AuditEvent)} goes through an {@link AppendBatcher} (group commit); an append
 * inside a caller's transaction is always a batch of one. A group-commit write is autocommit, so
 * there the check can only run after the commit: a mismatch then fails the appends, and
 * {@link AuditVerifier} names the entry.
 */
public final class PgAuditLog implements AuditLog {
  static final String APPEND = "select out_seq, out_prev_hash, out_hash from audit_append($1::text[], $2::text[],"
      + " $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],"
      + " $11::text[])";

  private final Masker masker;
  private final Clock clock;
  private final AppendBatcher batcher;

  public PgAuditLog(Pool pool, Masker masker) {
    this(pool, masker, Clock.systemUTC());
  }

  public PgAuditLog(Pool pool, Masker masker, Clock clock) {
    this.masker = Objects.requireNonNull(masker, "masker");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.batcher = new AppendBatcher(Objects.requireNonNull(pool, "pool"), AppendBatcher.DEFAULT_MAX_BATCH);
  }

  @Override
  public Future<AuditEntry> append(SqlConnection tx, AuditEvent event) {
    Objects.requireNonNull(tx, "tx");
    try {
      return appendAll(tx, List.of(prepare(event))).map(entries -> entries.get(0));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** One statement for all of them: one round trip, and the chain's lock taken once. */
  @Override
  public Future<List<AuditEntry>> appendAll(SqlConnection tx, List<AuditEvent> events) {
    Objects.requireNonNull(tx, "tx");
    if (events.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    try {
      return appendAll(tx, events.stream().map(this::prepare).toList());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<AuditEntry> append(AuditEvent event) {
    try {
      return batcher.submit(prepare(event));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private PreparedEntry prepare(AuditEvent event) {
    return PreparedEntry.of(Objects.requireNonNull(event, "event"), clock.instant(), masker);
  }

  /**
   * Appends {@code entries} in this order, in one statement: inside the transaction {@code client}
   * is in, or on its own (autocommit) when {@code client} is a pool.
   */
  static Future<List<AuditEntry>> appendAll(SqlClient client, List<PreparedEntry> entries) {
    return client.preparedQuery(APPEND).execute(columns(entries)).map(rows -> checked(entries, rows));
  }

  private static Tuple columns(List<PreparedEntry> entries) {
    int n = entries.size();
    OffsetDateTime[] at = new OffsetDateTime[n];
    String[][] text = new String[10][n];
    for (int i = 0; i < n; i++) {
      PreparedEntry p = entries.get(i);
      AuditEvent e = p.event;
      at[i] = OffsetDateTime.ofInstant(p.at, ZoneOffset.UTC);
      text[0][i] = p.canonical.beforeSeq();
      text[1][i] = p.canonical.afterSeq();
      text[2][i] = e.actorType().dbName();
      text[3][i] = e.actorId();
      text[4][i] = e.action();
      text[5][i] = e.subjectType();
      text[6][i] = e.subjectId();
      text[7][i] = e.runId().orElse(null);
      text[8][i] = e.incidentId().orElse(null);
      text[9][i] = p.detailsText;
    }
    return Tuple.tuple().addValue(text[0]).addValue(text[1]).addValue(at)
        .addValue(text[2]).addValue(text[3]).addValue(text[4]).addValue(text[5]).addValue(text[6])
        .addValue(text[7]).addValue(text[8]).addValue(text[9]);
  }

  /** The stored entries, after checking that PostgreSQL chained them exactly as Java would. */
  private static List<AuditEntry> checked(List<PreparedEntry> entries, RowSet<Row> rows) {
    if (rows.size() != entries.size()) {
      throw new IllegalStateException("audit_append wrote " + rows.size() + " entries of " + entries.size());
    }
    List<AuditEntry> stored = new ArrayList<>(entries.size());
    Iterator<Row> it = rows.iterator();
    String previous = null;
    for (PreparedEntry p : entries) {
      Row row = it.next();
      long seq = row.getLong("out_seq");
      String prevHash = row.getString("out_prev_hash");
      String hash = row.getString("out_hash");
      String expected = p.hashAt(seq, prevHash);
      if (!expected.equals(hash) || (previous != null && !previous.equals(prevHash))) {
        // Only a bug, or a database that alters text, could cause this.
        throw new IllegalStateException("audit entry #" + seq + ": PostgreSQL chained it to " + prevHash
            + " with hash " + hash + ", Java computes " + expected);
      }
      stored.add(p.entry(seq, prevHash, hash));
      previous = hash;
    }
    return stored;
  }
}
