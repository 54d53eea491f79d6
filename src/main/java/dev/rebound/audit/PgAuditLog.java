package dev.rebound.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AuditLog} in PostgreSQL ({@code audit_pending}, {@code audit_log}, {@code audit_head}
 * and the function {@code audit_seal}; see V2__audit_log.sql and V13__audit_pending.sql).
 *
 * <p>An append is one INSERT into {@code audit_pending} (one statement for a batch), carrying the
 * entry's fields and its canonical JSON in two halves around the seq, which is known only when
 * the entry is sealed; {@link AuditSealer} then chains it. Nothing here waits for the chain's
 * lock inside a caller's transaction, so concurrent writers commit in parallel and PostgreSQL's
 * group commit flushes them together. {@link #appendChained} ({@code audit_append_chained},
 * V20__audit_append_chained.sql) takes the head only when it is free, for the few milliseconds
 * to the caller's COMMIT, and chains the entries then and there; it does not even try while other
 * appends or seals of this process are under way.
 *
 * <p>A standalone {@link #append(AuditEvent)} goes through an {@link AppendBatcher} (group commit:
 * the appends that arrive while one write is in flight are inserted and sealed together, in one
 * statement) and completes on the Vert.x context that called it (if any). One {@code PgAuditLog}
 * per process is enough: its sealer coalesces the seals of all its writers.
 */
public final class PgAuditLog implements AuditLog {
  static final String INSERT = "insert into audit_pending (at, actor_type, actor_id, action, subject_type,"
      + " subject_id, run_id, incident_id, details, before_seq, after_seq)"
      + " select e.at, e.actor_type, e.actor_id, e.action, e.subject_type, e.subject_id, e.run_id, e.incident_id,"
      + " e.details::jsonb, e.before_seq, e.after_seq"
      + " from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],"
      + " $8::text[], $9::text[], $10::text[], $11::text[]) with ordinality"
      + " as e(at, actor_type, actor_id, action, subject_type, subject_id, run_id, incident_id, details, before_seq,"
      + " after_seq, i) order by e.i returning id";
  /** One entry (a transition's usual case): plain values, without the arrays and unnest of {@link #INSERT}. */
  static final String INSERT_ONE = "insert into audit_pending (at, actor_type, actor_id, action, subject_type,"
      + " subject_id, run_id, incident_id, details, before_seq, after_seq)"
      + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10, $11) returning id";

  /** Chains in the caller's transaction when the head is free, else appends pending (V20). */
  private static final String APPEND_CHAINED = "select * from audit_append_chained($1::timestamptz[], $2::text[],"
      + " $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],"
      + " $11::text[], $12)";

  private final Masker masker;
  private final Clock clock;
  private final AuditSealer sealer;
  private final AppendBatcher batcher;
  /**
   * The transactions of this process between their {@link #appendChained} and their end (told by
   * {@link #committed} or {@link #rolledBack}), with when they appended. While one is open it
   * probably holds the chain's head (until its COMMIT), and transitions are running concurrently:
   * then chaining in the transaction is no longer worth it. Each transaction that took the head
   * sealed the pending entries of all the others along with its own, one short chain at a time,
   * and the others' seals queued behind its commit. With 8 writers (AuditAppendBench) that cost
   * 750 us of CPU per entry against 450 for appending pending and sealing in coalesced batches
   * after the commits. One transition at a time (a run stepping alone) still chains in its own
   * transaction and saves the seal after its commit.
   */
  private final Map<Object, Long> open = new ConcurrentHashMap<>();
  private static final long FORGOTTEN_NANOS = 1_000_000_000L;

  public PgAuditLog(Pool pool, Masker masker) {
    this(pool, masker, Clock.systemUTC());
  }

  public PgAuditLog(Pool pool, Masker masker, Clock clock) {
    this.masker = Objects.requireNonNull(masker, "masker");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sealer = new AuditSealer(Objects.requireNonNull(pool, "pool"));
    this.batcher = new AppendBatcher(pool, sealer, AppendBatcher.DEFAULT_MAX_BATCH);
  }

  @Override
  public Future<PendingEntry> append(SqlConnection tx, AuditEvent event) {
    return appendAll(tx, List.of(event)).map(entries -> entries.get(0));
  }

  /** One statement for all of them: one round trip. */
  @Override
  public Future<List<PendingEntry>> appendAll(SqlConnection tx, List<AuditEvent> events) {
    Objects.requireNonNull(tx, "tx");
    if (events.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Future<List<PendingEntry>> written;
    try {
      written = insert(tx, events.stream().map(this::prepare).toList());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // A transaction begun through Vert.x tells us when it committed: seal right after. Others
    // (BEGIN sent as a statement) call sealed() after their commit, or wait for the next seal.
    Transaction transaction = tx.transaction();
    if (transaction != null) {
      written = written.onSuccess(ids -> transaction.completion().onSuccess(v -> sealer.seal()));
    }
    return written;
  }

  /**
   * One statement: {@code audit_append_chained} when this transaction is alone in the process
   * ({@link #alone}: the entries' rows come back chained, or with their pending ids when another
   * replica holds the head), else a plain pending insert. Checked only in {@link #committed}:
   * before the commit nobody may be told.
   */
  @Override
  public Future<Appended> appendChained(SqlConnection tx, List<AuditEvent> events) {
    Objects.requireNonNull(tx, "tx");
    if (events.isEmpty()) {
      return Future.succeededFuture(Appended.pending(List.of()));
    }
    List<PreparedEntry> entries;
    try {
      entries = events.stream().map(this::prepare).toList();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    boolean alone = alone();
    Object token = new Object();
    open.put(token, System.nanoTime());
    Future<Appended> appended;
    try {
      appended = alone ? chain(tx, entries) : insert(tx, entries).map(Appended::pending);
    } catch (RuntimeException e) {
      appended = Future.failedFuture(e);
    }
    return appended
        .map(a -> a.whenEnded(() -> open.remove(token)))
        .onFailure(e -> open.remove(token));
  }

  /**
   * No other transaction of this process is between its append and its end, and no seal is under
   * way. A transaction open for longer than {@link #FORGOTTEN_NANOS} is taken to have ended
   * without being told (a caller that never called {@link #rolledBack}).
   */
  private boolean alone() {
    if (!open.isEmpty()) {
      long now = System.nanoTime();
      open.values().removeIf(since -> now - since > FORGOTTEN_NANOS);
    }
    return open.isEmpty() && sealer.idle();
  }

  private static Future<Appended> chain(SqlConnection tx, List<PreparedEntry> entries) {
    return tx.preparedQuery(APPEND_CHAINED).execute(columns(entries).addValue(AuditSealer.BATCH)).map(rows -> {
      if (rows.size() == 0) {
        throw new IllegalStateException("audit_append_chained took none of " + entries.size() + " entries");
      }
      if (rows.iterator().next().getLong("seq") != null) {
        return Appended.chained(rows);
      }
      List<PendingEntry> pending = new ArrayList<>(rows.size());
      rows.forEach(row -> pending.add(new PendingEntry(row.getLong("pending_id"))));
      if (pending.size() != entries.size()) {
        throw new IllegalStateException("audit_pending took " + pending.size() + " entries of " + entries.size());
      }
      return Appended.pending(pending);
    });
  }

  @Override
  public Future<List<AuditEntry>> committed(Appended appended) {
    appended.end();
    if (!appended.isChained()) {
      return sealed(appended.pending());
    }
    try {
      return Future.succeededFuture(sealer.ours(appended.chainedRows()));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public void rolledBack(Appended appended) {
    appended.end();
  }

  @Override
  public Future<AuditEntry> append(AuditEvent event) {
    try {
      return batcher.submit(prepare(event));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<List<AuditEntry>> sealed(List<PendingEntry> committed) {
    return sealer.sealed(committed.stream().map(PendingEntry::id).toList());
  }

  @Override
  public Future<Void> seal() {
    return sealer.seal();
  }

  /**
   * Call before the pool closes (a command that ends): completes once the seals under way or
   * asked for until now have ended; later seals are refused without a query or a log line. Never
   * fails; has no time limit of its own, so bound the wait (the database may not answer).
   */
  public Future<Void> close() {
    return sealer.close();
  }

  private PreparedEntry prepare(AuditEvent event) {
    return PreparedEntry.of(Objects.requireNonNull(event, "event"), clock.instant(), masker);
  }

  /** Writes {@code entries} to audit_pending in this order, in one statement; their ids in that order. */
  private static Future<List<PendingEntry>> insert(SqlClient client, List<PreparedEntry> entries) {
    Future<RowSet<Row>> inserted = entries.size() == 1
        ? client.preparedQuery(INSERT_ONE).execute(values(entries.get(0)))
        : client.preparedQuery(INSERT).execute(columns(entries));
    return inserted.map(rows -> {
      if (rows.size() != entries.size()) {
        throw new IllegalStateException("audit_pending took " + rows.size() + " entries of " + entries.size());
      }
      List<PendingEntry> pending = new ArrayList<>(rows.size());
      for (Row row : rows) {
        pending.add(new PendingEntry(row.getLong("id")));
      }
      return pending;
    });
  }

  /** One entry's fields as the parameters of {@link #INSERT_ONE}. */
  private static Tuple values(PreparedEntry p) {
    AuditEvent e = p.event;
    return Tuple.from(Arrays.asList(OffsetDateTime.ofInstant(p.at, ZoneOffset.UTC), e.actorType().dbName(), e.actorId(),
        e.action(), e.subjectType(), e.subjectId(), e.runId().orElse(null), e.incidentId().orElse(null), p.detailsText,
        p.canonical.beforeSeq(), p.canonical.afterSeq()));
  }

  /** The entries' fields as the column arrays of {@link #INSERT} (and of V18's audit_append_sealed). */
  static Tuple columns(List<PreparedEntry> entries) {
    int n = entries.size();
    OffsetDateTime[] at = new OffsetDateTime[n];
    String[][] text = new String[10][n];
    for (int i = 0; i < n; i++) {
      PreparedEntry p = entries.get(i);
      AuditEvent e = p.event;
      at[i] = OffsetDateTime.ofInstant(p.at, ZoneOffset.UTC);
      text[0][i] = e.actorType().dbName();
      text[1][i] = e.actorId();
      text[2][i] = e.action();
      text[3][i] = e.subjectType();
      text[4][i] = e.subjectId();
      text[5][i] = e.runId().orElse(null);
      text[6][i] = e.incidentId().orElse(null);
      text[7][i] = p.detailsText;
      text[8][i] = p.canonical.beforeSeq();
      text[9][i] = p.canonical.afterSeq();
    }
    Tuple tuple = Tuple.tuple().addValue(at);
    for (String[] column : text) {
      tuple.addValue(column);
    }
    return tuple;
  }
}
