package dev.rebound.engine;

import static dev.rebound.engine.RunRows.APPROVAL_COLUMNS;
import static dev.rebound.engine.RunRows.JSON_COLUMNS;
import static dev.rebound.engine.RunRows.RUN_COLUMNS;
import static dev.rebound.engine.RunRows.STEP_COLUMNS;
import static dev.rebound.engine.RunRows.all;
import static dev.rebound.engine.RunRows.first;
import static dev.rebound.engine.RunRows.seconds;

import dev.rebound.audit.AuditEvent;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.error.ConflictException;
import dev.rebound.error.NotFoundException;
import dev.rebound.runbook.CanonicalJson;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@link RunTx} in PostgreSQL: its statements go through a {@link PipelinedTx}, reads at
 * once, writes once the transaction has begun, in the order they are issued. A caller that does
 * not need a write's answer before deciding what comes next need not wait for it: the
 * transaction commits only when every statement succeeded.
 */
final class PgRunTx implements RunTx {
  private final PipelinedTx tx;
  private final SqlConnection conn;
  final List<AuditEvent> events = new ArrayList<>();

  PgRunTx(PipelinedTx tx) {
    this.tx = tx;
    this.conn = tx.connection();
  }

  @Override
  public Future<RunRecord> lockRun(String runId) {
    return tx.track(tx.read(() -> conn.preparedQuery("select " + RUN_COLUMNS + " from runs where id = $1 for update")
        .execute(Tuple.of(runId)))
        .map(rows -> first(rows).map(RunRows::runRow).orElseThrow(() -> NotFoundException.of("run", runId))));
  }

  @Override
  public Future<Void> lockRunBeforeSteps(String runId) {
    // FOR NO KEY UPDATE (what an UPDATE of the run takes) conflicts with lockRun's FOR UPDATE, and
    // not with the FOR KEY SHARE of inserts that reference the run.
    return tx.track(tx.read(() -> conn.preparedQuery("select 1 from runs where id = $1 for no key update")
        .execute(Tuple.of(runId))).mapEmpty());
  }

  @Override
  public Future<Void> lockIncident(String incidentId) {
    return tx.track(tx.read(() -> conn.preparedQuery("select 1 from incidents where id = $1 for key share")
        .execute(Tuple.of(incidentId)))
        .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture()
            : Future.failedFuture(NotFoundException.of("incident", incidentId))));
  }

  @Override
  public Future<Optional<String>> lockIncidentForProposal(String incidentId) {
    // FOR NO KEY UPDATE conflicts with itself, not with lockIncident's FOR KEY SHARE.
    return tx.track(tx.read(() -> conn.preparedQuery("select 1 from incidents where id = $1 for no key update")
        .execute(Tuple.of(incidentId)))
        .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture()
            : Future.failedFuture(NotFoundException.of("incident", incidentId)))
        .compose(v -> tx.read(() -> conn.preparedQuery("select id from runs where incident_id = $1 and state not in"
            + " ('succeeded', 'rolled_back', 'aborted') order by created_at desc limit 1").execute(Tuple.of(incidentId))))
        .map(rows -> first(rows).map(row -> row.getString("id"))));
  }

  @Override
  public Future<List<StepRecord>> steps(String runId) {
    return tx.track(tx.read(() -> PgRunStore.stepsQuery(conn, runId)));
  }

  @Override
  public Future<Optional<StepRecord>> lockStep(String runId, String stepId) {
    return tx.track(tx.read(() -> conn.preparedQuery("select " + STEP_COLUMNS + " from run_steps where run_id = $1 and step_id = $2 for update")
        .execute(Tuple.of(runId, stepId))).map(rows -> first(rows).map(RunRows::stepRow)));
  }

  @Override
  public Future<Void> insertRun(RunRecord run, Columns lease) {
    Object owner = lease.values().get("lease_owner");
    Object until = lease.values().get("lease_until");
    Double secs = until instanceof Columns.LeaseFromNow l ? seconds(l.lease()) : null;
    return tx.track(tx.write(() -> conn.preparedQuery("insert into runs (id, runbook_id, runbook_version, content_hash, params, incident_id,"
            + " kind, requested_by, requested_by_type, state, waiting_for, work, lease_owner, lease_until)"
            + " values ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8, $9, $10, $11, $12, $13,"
            + " case when $14::float8 is null then null else now() + make_interval(secs => $14::float8) end)")
        .execute(Tuple.tuple().addString(run.id()).addString(run.runbookId()).addInteger(run.runbookVersion())
            .addString(run.contentHash()).addString(CanonicalJson.write(run.params()))
            .addString(run.incidentId().orElse(null)).addString(run.kind().dbName()).addString(run.requestedBy())
            .addString(run.requestedByType()).addString(run.state().dbName())
            .addString(run.waitingFor().orElse(null)).addString(run.work().orElse(null))
            .addString((String) owner).addValue(secs)))
        .mapEmpty());
  }

  @Override
  public Future<Void> insertStep(StepRecord s) {
    return tx.track(tx.write(() -> conn.preparedQuery("insert into run_steps (run_id, idx, step_id, title, risk, state, attempt, action_hash,"
            + " action_display, action_type, targets, idempotent, reversible, idempotency_key, awaiting_since)"
            + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10, $11, $12, $13, $14, $15)")
        .execute(Tuple.tuple().addString(s.runId()).addInteger(s.idx()).addString(s.stepId()).addString(s.title())
            .addString(s.risk()).addString(s.state().dbName()).addInteger(s.attempt())
            .addString(s.actionHash().orElse(null))
            .addString(s.actionDisplay().map(CanonicalJson::write).orElse(null))
            .addString(s.actionType()).addArrayOfString(s.targets().toArray(String[]::new))
            .addBoolean(s.idempotent()).addBoolean(s.reversible()).addString(s.idempotencyKey())
            .addValue(s.awaitingSince().orElse(null))))
        .mapEmpty());
  }

  @Override
  public Future<Optional<StepRecord>> claimApproved(String runId, String stepId, String owner, Duration lease) {
    return tx.track(tx.write(() -> conn.preparedQuery("update run_steps set state = 'running', lease_owner = $3,"
            + " lease_until = now() + make_interval(secs => $4), attempt = attempt + 1, started_at = now(),"
            + " finished_at = null, updated_at = now()"
            + " where run_id = $1 and step_id = $2 and state = 'approved' returning " + STEP_COLUMNS)
        .execute(Tuple.of(runId, stepId, owner, seconds(lease)))).map(rows -> first(rows).map(RunRows::stepRow)));
  }

  @Override
  public Future<StepRecord> claimAwaitingApproval(String runId, String stepId, int attempt, String owner,
      Duration lease, Columns set) {
    List<Object> params = new ArrayList<>(List.of(runId, stepId, attempt, owner, seconds(lease)));
    String assignments = assignments(set, params);
    // rebound_require aborts the transaction (and turns the COMMIT behind it into a rollback) when
    // the step is no longer the attempt its approvals were decided on; ok always has one row.
    String sql = "with c as (update run_steps set state = 'running', lease_owner = $4,"
        + " lease_until = now() + make_interval(secs => $5), attempt = attempt + 1, started_at = now(), "
        + assignments + " where run_id = $1 and step_id = $2 and state = 'awaiting_approval' and attempt = $3"
        + " returning " + STEP_COLUMNS + "),"
        + " ok as (select rebound_require(count(*) = 1, 'step ' || $2 || ' is no longer awaiting approval of attempt '"
        + " || ($3 + 1)) from c)"
        + " select c.* from ok left join c on true";
    return tx.track(tx.write(() -> conn.preparedQuery(sql).execute(Tuple.from(params)))
        .map(rows -> RunRows.stepRow(rows.iterator().next()))
        .recover(PgRunTx::required));
  }

  @Override
  public Future<Optional<StepRecord>> takeOverExpired(String runId, String stepId, String owner, Duration lease) {
    return tx.track(tx.write(() -> conn.preparedQuery("update run_steps set lease_owner = $3,"
            + " lease_until = now() + make_interval(secs => $4), updated_at = now()"
            + " where run_id = $1 and step_id = $2 and state = 'running' and lease_until < now()"
            + " returning " + STEP_COLUMNS)
        .execute(Tuple.of(runId, stepId, owner, seconds(lease)))).map(rows -> first(rows).map(RunRows::stepRow)));
  }

  @Override
  public Future<Optional<RunRecord>> claimWork(String runId, String owner, Duration lease) {
    return tx.track(tx.write(() -> conn.preparedQuery("update runs set lease_owner = $2, lease_until = now() + make_interval(secs => $3),"
            + " updated_at = now() where id = $1 and work is not null"
            + " and (lease_until is null or lease_until < now() or lease_owner = $2) returning " + RUN_COLUMNS)
        .execute(Tuple.of(runId, owner, seconds(lease)))).map(rows -> first(rows).map(RunRows::runRow)));
  }

  @Override
  public Future<Integer> updateStep(String runId, String stepId, Columns set) {
    return update("run_steps", "run_id = $1 and step_id = $2", List.of(runId, stepId), set);
  }

  @Override
  public Future<Integer> updateOwnedStep(String runId, String stepId, String owner, Columns set) {
    return update("run_steps", "run_id = $1 and step_id = $2 and lease_owner = $3 and state = 'running'",
        List.of(runId, stepId, owner), set);
  }

  @Override
  public Future<Integer> updateRun(String runId, Columns set) {
    return update("runs", "id = $1", List.of(runId), set);
  }

  @Override
  public Future<Integer> updateOwnedRun(String runId, String owner, String work, Columns set) {
    return update("runs", "id = $1 and lease_owner = $2 and work = $3", List.of(runId, owner, work), set);
  }

  private Future<Integer> update(String table, String where, List<Object> keys, Columns set) {
    List<Object> params = new ArrayList<>(keys);
    String sql = "update " + table + " set " + assignments(set, params) + " where " + where;
    return tx.track(tx.write(() -> conn.preparedQuery(sql).execute(Tuple.from(params))).map(RowSet::rowCount));
  }

  /** The SET list for {@code set} (and updated_at), its values appended to {@code params}. */
  private static String assignments(Columns set, List<Object> params) {
    List<String> assignments = new ArrayList<>();
    for (Map.Entry<String, Object> e : set.values().entrySet()) {
      String column = e.getKey();
      Object value = e.getValue();
      if (value == Columns.Special.NOW) {
        assignments.add(column + " = now()");
      } else if (value instanceof Columns.Decrement d) {
        assignments.add(column + " = " + d.column() + " - 1");
      } else if (value instanceof Columns.LeaseFromNow l) {
        params.add(seconds(l.lease()));
        assignments.add(column + " = now() + make_interval(secs => $" + params.size() + ")");
      } else if (value instanceof Columns.Json j) {
        params.add(j.value() == null ? null : CanonicalJson.write(j.value()));
        assignments.add(column + " = $" + params.size() + "::text::jsonb");
      } else if (value instanceof Columns.TextArray a) {
        params.add(a.values().toArray(String[]::new));
        assignments.add(column + " = $" + params.size() + "::text[]");
      } else if (value instanceof Instant i) {
        params.add(OffsetDateTime.ofInstant(i, ZoneOffset.UTC));
        assignments.add(column + " = $" + params.size());
      } else {
        params.add(value);
        assignments.add(column + " = $" + params.size() + (JSON_COLUMNS.contains(column) ? "::text::jsonb" : ""));
      }
    }
    assignments.add("updated_at = now()");
    return String.join(", ", assignments);
  }

  @Override
  public Future<List<ApprovalRecord>> openApprovalsOfCurrentAttempt(String runId, String stepId) {
    return openApprovalsAt(runId, stepId, 0);
  }

  @Override
  public Future<List<ApprovalRecord>> openApprovalsOfNextAttempt(String runId, String stepId) {
    return openApprovalsAt(runId, stepId, 1);
  }

  /** The attempt is read in the same statement, so it may follow a statement that changes it. */
  private Future<List<ApprovalRecord>> openApprovalsAt(String runId, String stepId, int offset) {
    return tx.track(tx.read(() -> conn.preparedQuery("select " + APPROVAL_COLUMNS + " from step_approvals a"
            + " where a.run_id = $1 and a.step_id = $2 and a.used_at is null and a.voided_at is null"
            + " and a.attempt = (select s.attempt + $3 from run_steps s where s.run_id = $1 and s.step_id = $2)"
            + " order by a.id for update of a")
        .execute(Tuple.of(runId, stepId, offset))).map(rows -> all(rows, RunRows::approvalRow)));
  }

  @Override
  public Future<ApprovalRecord> insertApproval(ApprovalRecord a) {
    return tx.track(tx.write(() -> conn.preparedQuery("insert into step_approvals (run_id, step_id, attempt, approver, approver_type, role,"
            + " content_hash, action_hash, targets, created_at, expires_at)"
            + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning " + APPROVAL_COLUMNS)
        .execute(Tuple.tuple().addString(a.runId()).addString(a.stepId()).addInteger(a.attempt())
            .addString(a.approver()).addString(a.approverType()).addString(a.role()).addString(a.contentHash())
            .addString(a.actionHash()).addArrayOfString(a.targets().toArray(String[]::new))
            .addValue(OffsetDateTime.ofInstant(a.createdAt(), ZoneOffset.UTC))
            .addValue(OffsetDateTime.ofInstant(a.expiresAt(), ZoneOffset.UTC))))
        .map(rows -> RunRows.approvalRow(rows.iterator().next()))
        .recover(e -> Future.<ApprovalRecord>failedFuture(e instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? new ConflictException(a.approver() + " already approved this attempt of step '" + a.stepId() + "'")
            : e)));
  }

  @Override
  public Future<Void> markUsed(List<Long> approvalIds, Instant at) {
    if (approvalIds.isEmpty()) {
      return Future.succeededFuture();
    }
    // Checked by the database (V21's rebound_require), not on the answer: COMMIT may already be on
    // its way behind this statement, and only an error raised here turns it into a rollback.
    return tx.track(tx.write(() -> conn.preparedQuery("with used as (update step_approvals set used_at = $2"
            + " where id = any($1) and used_at is null returning id)"
            + " select rebound_require(count(*) = cardinality($1), 'an approval was used concurrently') from used")
        .execute(Tuple.of(approvalIds.toArray(Long[]::new), OffsetDateTime.ofInstant(at, ZoneOffset.UTC))))
        .<Void>mapEmpty()
        .recover(PgRunTx::required));
  }

  @Override
  public Future<Void> markUsedBy(String runId, String stepId, int attempt, List<String> approvers, Instant at) {
    // One live approval per person and attempt (unique index), so as many rows as approvers.
    return tx.track(tx.write(() -> conn.preparedQuery("with used as (update step_approvals set used_at = $5"
            + " where run_id = $1 and step_id = $2 and attempt = $3 and approver = any($4)"
            + " and used_at is null and voided_at is null returning id)"
            + " select rebound_require(count(*) = cardinality($4), 'an approval was used concurrently') from used")
        .execute(Tuple.of(runId, stepId, attempt, approvers.toArray(String[]::new),
            OffsetDateTime.ofInstant(at, ZoneOffset.UTC))))
        .<Void>mapEmpty()
        .recover(PgRunTx::required));
  }

  /** A condition rebound_require found false, as the error it names; other failures as they are. */
  private static <T> Future<T> required(Throwable e) {
    return Future.failedFuture(e instanceof PgException pg && "P0001".equals(pg.getSqlState())
        ? new IllegalStateException(pg.getErrorMessage()) : e);
  }

  @Override
  public Future<Integer> voidApprovals(String runId, String stepId, String reason, Instant at) {
    return tx.track(tx.write(() -> conn.preparedQuery("update step_approvals set voided_at = $3, void_reason = $4"
            + " where run_id = $1 and step_id = $2 and used_at is null and voided_at is null")
        .execute(Tuple.of(runId, stepId, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), reason)))
        .map(RowSet::rowCount));
  }

  @Override
  public Future<Integer> voidApprovalsExpired(String runId, String stepId, Instant now) {
    return tx.track(tx.write(() -> conn.preparedQuery("update step_approvals set voided_at = $3, void_reason = 'expired'"
            + " where run_id = $1 and step_id = $2 and used_at is null and voided_at is null and expires_at <= $3")
        .execute(Tuple.of(runId, stepId, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))))
        .map(RowSet::rowCount));
  }

  @Override
  public Future<Void> insertChecks(String runId, Optional<String> stepId, String phase, int attempt,
      List<CheckResult> results) {
    return insertChecks(runId, stepId, phase, attempt,
        java.util.stream.IntStream.range(0, results.size()).boxed().toList(), results);
  }

  @Override
  public Future<Void> insertChecks(String runId, Optional<String> stepId, String phase, int attempt,
      List<Integer> positions, List<CheckResult> results) {
    if (results.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      CheckResult r = results.get(i);
      rows.add(Tuple.tuple().addString(runId).addString(stepId.orElse(null)).addString(phase).addInteger(attempt)
          .addInteger(positions.get(i)).addString(r.kind()).addString(r.name()).addBoolean(r.passed()).addString(r.observed())
          .addString(r.expected()).addString(r.message()).addLong(r.durationMs()));
    }
    return tx.track(tx.write(() -> conn.preparedQuery("insert into run_checks (run_id, step_id, phase, attempt, idx, kind, name, passed,"
            + " observed, expected, message, duration_ms) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .executeBatch(rows)).mapEmpty());
  }

  @Override
  public void record(AuditEvent event) {
    events.add(Objects.requireNonNull(event, "event"));
  }
}
