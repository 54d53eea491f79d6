package dev.rebound.engine;

import static dev.rebound.engine.RunRows.APPROVAL_COLUMNS;
import static dev.rebound.engine.RunRows.RUN_COLUMNS;
import static dev.rebound.engine.RunRows.STEP_COLUMNS;
import static dev.rebound.engine.RunRows.all;
import static dev.rebound.engine.RunRows.first;
import static dev.rebound.engine.RunRows.seconds;

import dev.rebound.audit.AuditEntry;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.AuditLog;
import dev.rebound.audit.Appended;
import dev.rebound.engine.check.CheckResult;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RunStore} in PostgreSQL ({@code V4__runs.sql}) through the Vert.x pool, with the audit
 * log appended inside each transaction ({@link AuditLog#append(SqlConnection, AuditEvent)}).
 *
 * <p>jsonb columns are written from canonical JSON text and read back as text, so what Jackson
 * sees is exactly what was stored; leases use the database's {@code now()}, which every instance
 * shares, so clock skew between hosts cannot make a live lease look expired.
 */
public final class PgRunStore implements RunStore {
  private static final Logger LOG = LoggerFactory.getLogger(PgRunStore.class);
  private final Pool pool;
  private final AuditLog audit;
  private final Consumer<AuditEntry> onCommitted;

  /**
   * @param onCommitted told about every audit entry once its transaction committed and it was
   *     sealed into the chain (on the pool's context), e.g. to publish it to live timelines; must
   *     not block or throw
   */
  public PgRunStore(Pool pool, AuditLog audit, Consumer<AuditEntry> onCommitted) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.onCommitted = Objects.requireNonNull(onCommitted, "onCommitted");
  }

  /**
   * The body's statements are pipelined ({@link PipelinedTx}); its audit events go in one
   * statement right behind them, then COMMIT: a transition costs about three round trips (BEGIN
   * with the first reads, the writes with the audit append, COMMIT) whatever its size. The append
   * chains the entries in the transaction when the chain's head is free ({@link
   * AuditLog#appendChained}), so the transition's one commit also puts them in the chain; otherwise
   * they are sealed after the commit (coalesced with other transitions' seals). Then they are told
   * to the listener; the transition's result does not wait for that.
   */
  @Override
  public <T> Future<T> inTransaction(Function<RunTx, Future<T>> body) {
    Appended[] appended = new Appended[1];
    PgRunTx[] current = new PgRunTx[1];
    return PipelinedTx.<T>run(pool,
        tx -> {
          current[0] = new PgRunTx(tx);
          return body.apply(current[0]);
        },
        tx -> tx.track(tx.write(() -> audit.appendChained(tx.connection(), List.copyOf(current[0].events)))
            .onSuccess(a -> appended[0] = a)))
        .onFailure(e -> {
          if (appended[0] != null) {
            audit.rolledBack(appended[0]);
          }
        })
        .onSuccess(value -> audit.committed(appended[0])
            .onSuccess(entries -> entries.forEach(entry -> {
              try {
                onCommitted.accept(entry);
              } catch (RuntimeException ignored) {
                // Listeners only inform (live timelines, metrics); the transition itself is committed.
              }
            }))
            .onFailure(e -> LOG.warn("audit entries of a committed transition are not sealed yet: {}", e.toString())));
  }

  @Override
  public Future<Optional<RunRecord>> run(String runId) {
    return pool.preparedQuery("select " + RUN_COLUMNS + " from runs where id = $1").execute(Tuple.of(runId))
        .map(rows -> first(rows).map(RunRows::runRow));
  }

  @Override
  public Future<List<StepRecord>> steps(String runId) {
    return stepsQuery(pool, runId);
  }

  static Future<List<StepRecord>> stepsQuery(SqlClient client, String runId) {
    return client.preparedQuery("select " + STEP_COLUMNS + " from run_steps where run_id = $1 order by idx")
        .execute(Tuple.of(runId)).map(rows -> all(rows, RunRows::stepRow));
  }

  @Override
  public Future<List<ApprovalRecord>> approvals(String runId) {
    return pool.preparedQuery("select " + APPROVAL_COLUMNS + " from step_approvals where run_id = $1 order by id")
        .execute(Tuple.of(runId)).map(rows -> all(rows, RunRows::approvalRow));
  }

  @Override
  public Future<List<CheckRecord>> checks(String runId) {
    return pool.preparedQuery("select step_id, phase, attempt, idx, kind, name, passed, observed, expected, message,"
            + " duration_ms, at from run_checks where run_id = $1 order by id")
        .execute(Tuple.of(runId))
        .map(rows -> all(rows, row -> new CheckRecord(Optional.ofNullable(row.getString("step_id")),
            row.getString("phase"), row.getInteger("attempt"), row.getInteger("idx"),
            new CheckResult(row.getString("kind"), row.getString("name"), row.getBoolean("passed"),
                row.getString("observed"), row.getString("expected"), row.getString("message"),
                row.getLong("duration_ms")),
            row.getOffsetDateTime("at"))));
  }

  @Override
  public Future<Long> lastSeq(String runId) {
    return pool.preparedQuery("select coalesce(max(seq), 0) as seq from audit_log where run_id = $1")
        .execute(Tuple.of(runId)).map(rows -> rows.iterator().next().getLong("seq"));
  }

  @Override
  public Future<List<Dispatchable>> dispatchable(int limit) {
    String sql = "(select 'APPROVED_STEP' as kind, run_id, step_id, updated_at from run_steps where state = 'approved')"
        + " union all (select 'EXPIRED_STEP_LEASE', run_id, step_id, updated_at from run_steps"
        + "   where state = 'running' and lease_until < now())"
        + " union all (select 'RUN_WORK', id, null, updated_at from runs"
        + "   where work is not null and (lease_until is null or lease_until < now()))"
        + " order by updated_at limit $1";
    return pool.preparedQuery(sql).execute(Tuple.of(limit)).map(rows -> all(rows, row -> new Dispatchable(
        Dispatchable.Kind.valueOf(row.getString("kind")), row.getString("run_id"),
        Optional.ofNullable(row.getString("step_id")))));
  }

  @Override
  public Future<Boolean> renewStepLease(String runId, String stepId, String owner, Duration lease) {
    return pool.preparedQuery("update run_steps set lease_until = now() + make_interval(secs => $4)"
            + " where run_id = $1 and step_id = $2 and lease_owner = $3 and state = 'running'")
        .execute(Tuple.of(runId, stepId, owner, seconds(lease))).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<Boolean> renewRunLease(String runId, String owner, String work, Duration lease) {
    return pool.preparedQuery("update runs set lease_until = now() + make_interval(secs => $4)"
            + " where id = $1 and lease_owner = $2 and work = $3")
        .execute(Tuple.of(runId, owner, work, seconds(lease))).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<Void> sealAudit() {
    return audit.seal();
  }

  @Override
  public Future<Map<RunState, Long>> countByState() {
    return pool.query("select state, count(*) as n from runs group by state").execute().map(rows -> {
      Map<RunState, Long> counts = new EnumMap<>(RunState.class);
      for (RunState s : RunState.values()) {
        counts.put(s, 0L);
      }
      rows.forEach(row -> counts.put(RunState.fromDb(row.getString("state")), row.getLong("n")));
      return counts;
    });
  }
}
