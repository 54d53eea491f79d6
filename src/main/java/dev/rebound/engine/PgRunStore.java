package dev.rebound.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.AuditEntry;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.AuditLog;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.error.ConflictException;
import dev.rebound.error.NotFoundException;
import dev.rebound.runbook.CanonicalJson;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link RunStore} in PostgreSQL ({@code V4__runs.sql}) through the Vert.x pool, with the audit
 * log appended inside each transaction ({@link AuditLog#append(SqlConnection, AuditEvent)}).
 *
 * <p>jsonb columns are written from canonical JSON text and read back as text, so what Jackson
 * sees is exactly what was stored; leases use the database's {@code now()}, which every instance
 * shares, so clock skew between hosts cannot make a live lease look expired.
 */
public final class PgRunStore implements RunStore {
  static final ObjectMapper JSON = new ObjectMapper();

  private static final String RUN_COLUMNS = "id, runbook_id, runbook_version, content_hash, params::text as params,"
      + " incident_id, kind, requested_by, requested_by_type, state, waiting_for, work, lease_owner, lease_until,"
      + " error, created_at, updated_at, finished_at";
  private static final String STEP_COLUMNS = "run_id, idx, step_id, title, risk, state, attempt, action_hash,"
      + " action_display::text as action_display, action_type, targets, idempotent, reversible, idempotency_key,"
      + " undo::text as undo, undo_hash, undo_state, undo_output::text as undo_output, undo_error, action_done,"
      + " may_have_applied, output::text as output, summary, error, lease_owner, lease_until, awaiting_since,"
      + " started_at, finished_at";
  private static final String APPROVAL_COLUMNS = "id, run_id, step_id, attempt, approver, approver_type, role,"
      + " content_hash, action_hash, targets, created_at, expires_at, used_at, voided_at, void_reason";
  private static final java.util.Set<String> JSON_COLUMNS =
      java.util.Set.of("params", "action_display", "undo", "undo_output", "output");

  private final Pool pool;
  private final AuditLog audit;
  private final Consumer<AuditEntry> onCommitted;

  /**
   * @param onCommitted told about every audit entry after its transaction committed (on the
   *     pool's context), e.g. to publish it to live timelines; must not block or throw
   */
  public PgRunStore(Pool pool, AuditLog audit, Consumer<AuditEntry> onCommitted) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.onCommitted = Objects.requireNonNull(onCommitted, "onCommitted");
  }

  @Override
  public <T> Future<T> inTransaction(Function<RunTx, Future<T>> body) {
    List<AuditEntry> stored = new ArrayList<>();
    return pool.<T>withTransaction(conn -> {
      PgTx tx = new PgTx(conn);
      Future<T> result;
      try {
        result = body.apply(tx);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      // Audit last, just before the commit: the chain's lock is held only from here to the end.
      return result.compose(value -> appendAll(conn, tx.events, stored).map(value));
    }).onSuccess(value -> stored.forEach(entry -> {
      try {
        onCommitted.accept(entry);
      } catch (RuntimeException ignored) {
        // Listeners only inform (live timelines, metrics); the transition itself is committed.
      }
    }));
  }

  private Future<Void> appendAll(SqlConnection conn, List<AuditEvent> events, List<AuditEntry> stored) {
    Future<Void> chain = Future.succeededFuture();
    for (AuditEvent event : events) {
      chain = chain.compose(v -> audit.append(conn, event).map(entry -> {
        stored.add(entry);
        return null;
      }));
    }
    return chain;
  }

  @Override
  public Future<Optional<RunRecord>> run(String runId) {
    return pool.preparedQuery("select " + RUN_COLUMNS + " from runs where id = $1").execute(Tuple.of(runId))
        .map(rows -> first(rows).map(PgRunStore::runRow));
  }

  @Override
  public Future<List<RunRecord>> runsOfIncident(String incidentId, int limit) {
    return pool.preparedQuery("select " + RUN_COLUMNS + " from runs where incident_id = $1"
            + " order by created_at desc, id desc limit $2")
        .execute(Tuple.of(incidentId, limit))
        .map(rows -> {
          List<RunRecord> out = new ArrayList<>();
          rows.forEach(r -> out.add(runRow(r)));
          return out;
        });
  }

  @Override
  public Future<List<StepRecord>> steps(String runId) {
    return steps(pool, runId);
  }

  private static Future<List<StepRecord>> steps(SqlClient client, String runId) {
    return client.preparedQuery("select " + STEP_COLUMNS + " from run_steps where run_id = $1 order by idx")
        .execute(Tuple.of(runId)).map(rows -> all(rows, PgRunStore::stepRow));
  }

  @Override
  public Future<List<ApprovalRecord>> approvals(String runId) {
    return pool.preparedQuery("select " + APPROVAL_COLUMNS + " from step_approvals where run_id = $1 order by id")
        .execute(Tuple.of(runId)).map(rows -> all(rows, PgRunStore::approvalRow));
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
  public Future<Boolean> renewRunLease(String runId, String owner, Duration lease) {
    return pool.preparedQuery("update runs set lease_until = now() + make_interval(secs => $3)"
            + " where id = $1 and lease_owner = $2 and work is not null")
        .execute(Tuple.of(runId, owner, seconds(lease))).map(rows -> rows.rowCount() == 1);
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

  /** One transaction's operations on its connection. */
  private static final class PgTx implements RunTx {
    private final SqlConnection conn;
    private final List<AuditEvent> events = new ArrayList<>();

    PgTx(SqlConnection conn) {
      this.conn = conn;
    }

    @Override
    public Future<RunRecord> lockRun(String runId) {
      return conn.preparedQuery("select " + RUN_COLUMNS + " from runs where id = $1 for update")
          .execute(Tuple.of(runId))
          .map(rows -> first(rows).map(PgRunStore::runRow).orElseThrow(() -> NotFoundException.of("run", runId)));
    }

    @Override
    public Future<List<StepRecord>> steps(String runId) {
      return PgRunStore.steps(conn, runId);
    }

    @Override
    public Future<Optional<StepRecord>> lockStep(String runId, String stepId) {
      return conn.preparedQuery("select " + STEP_COLUMNS + " from run_steps where run_id = $1 and step_id = $2 for update")
          .execute(Tuple.of(runId, stepId)).map(rows -> first(rows).map(PgRunStore::stepRow));
    }

    @Override
    public Future<Void> insertRun(RunRecord run, Columns lease) {
      Object owner = lease.values().get("lease_owner");
      Object until = lease.values().get("lease_until");
      Double secs = until instanceof Columns.LeaseFromNow l ? seconds(l.lease()) : null;
      return conn.preparedQuery("insert into runs (id, runbook_id, runbook_version, content_hash, params, incident_id,"
              + " kind, requested_by, requested_by_type, state, waiting_for, work, lease_owner, lease_until)"
              + " values ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8, $9, $10, $11, $12, $13,"
              + " case when $14::float8 is null then null else now() + make_interval(secs => $14::float8) end)")
          .execute(Tuple.tuple().addString(run.id()).addString(run.runbookId()).addInteger(run.runbookVersion())
              .addString(run.contentHash()).addString(CanonicalJson.write(run.params()))
              .addString(run.incidentId().orElse(null)).addString(run.kind().dbName()).addString(run.requestedBy())
              .addString(run.requestedByType()).addString(run.state().dbName())
              .addString(run.waitingFor().orElse(null)).addString(run.work().orElse(null))
              .addString((String) owner).addValue(secs))
          .mapEmpty();
    }

    @Override
    public Future<Void> insertStep(StepRecord s) {
      return conn.preparedQuery("insert into run_steps (run_id, idx, step_id, title, risk, state, attempt, action_hash,"
              + " action_display, action_type, targets, idempotent, reversible, idempotency_key, awaiting_since)"
              + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10, $11, $12, $13, $14, $15)")
          .execute(Tuple.tuple().addString(s.runId()).addInteger(s.idx()).addString(s.stepId()).addString(s.title())
              .addString(s.risk()).addString(s.state().dbName()).addInteger(s.attempt())
              .addString(s.actionHash().orElse(null))
              .addString(s.actionDisplay().map(CanonicalJson::write).orElse(null))
              .addString(s.actionType()).addArrayOfString(s.targets().toArray(String[]::new))
              .addBoolean(s.idempotent()).addBoolean(s.reversible()).addString(s.idempotencyKey())
              .addValue(s.awaitingSince().orElse(null)))
          .mapEmpty();
    }

    @Override
    public Future<Optional<StepRecord>> claimApproved(String runId, String stepId, String owner, Duration lease) {
      return conn.preparedQuery("update run_steps set state = 'running', lease_owner = $3,"
              + " lease_until = now() + make_interval(secs => $4), attempt = attempt + 1, started_at = now(),"
              + " finished_at = null, updated_at = now()"
              + " where run_id = $1 and step_id = $2 and state = 'approved' returning " + STEP_COLUMNS)
          .execute(Tuple.of(runId, stepId, owner, seconds(lease))).map(rows -> first(rows).map(PgRunStore::stepRow));
    }

    @Override
    public Future<Optional<StepRecord>> takeOverExpired(String runId, String stepId, String owner, Duration lease) {
      return conn.preparedQuery("update run_steps set lease_owner = $3,"
              + " lease_until = now() + make_interval(secs => $4), updated_at = now()"
              + " where run_id = $1 and step_id = $2 and state = 'running' and lease_until < now()"
              + " returning " + STEP_COLUMNS)
          .execute(Tuple.of(runId, stepId, owner, seconds(lease))).map(rows -> first(rows).map(PgRunStore::stepRow));
    }

    @Override
    public Future<Optional<RunRecord>> claimWork(String runId, String owner, Duration lease) {
      return conn.preparedQuery("update runs set lease_owner = $2, lease_until = now() + make_interval(secs => $3),"
              + " updated_at = now() where id = $1 and work is not null"
              + " and (lease_until is null or lease_until < now() or lease_owner = $2) returning " + RUN_COLUMNS)
          .execute(Tuple.of(runId, owner, seconds(lease))).map(rows -> first(rows).map(PgRunStore::runRow));
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
      String sql = "update " + table + " set " + String.join(", ", assignments) + " where " + where;
      return conn.preparedQuery(sql).execute(Tuple.from(params)).map(RowSet::rowCount);
    }

    @Override
    public Future<List<ApprovalRecord>> openApprovals(String runId, String stepId, int attempt) {
      return conn.preparedQuery("select " + APPROVAL_COLUMNS + " from step_approvals where run_id = $1 and step_id = $2"
              + " and attempt = $3 and used_at is null and voided_at is null order by id for update")
          .execute(Tuple.of(runId, stepId, attempt)).map(rows -> all(rows, PgRunStore::approvalRow));
    }

    @Override
    public Future<ApprovalRecord> insertApproval(ApprovalRecord a) {
      return conn.preparedQuery("insert into step_approvals (run_id, step_id, attempt, approver, approver_type, role,"
              + " content_hash, action_hash, targets, created_at, expires_at)"
              + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning " + APPROVAL_COLUMNS)
          .execute(Tuple.tuple().addString(a.runId()).addString(a.stepId()).addInteger(a.attempt())
              .addString(a.approver()).addString(a.approverType()).addString(a.role()).addString(a.contentHash())
              .addString(a.actionHash()).addArrayOfString(a.targets().toArray(String[]::new))
              .addValue(OffsetDateTime.ofInstant(a.createdAt(), ZoneOffset.UTC))
              .addValue(OffsetDateTime.ofInstant(a.expiresAt(), ZoneOffset.UTC)))
          .map(rows -> approvalRow(rows.iterator().next()))
          .recover(e -> Future.failedFuture(e instanceof PgException pg && "23505".equals(pg.getSqlState())
              ? new ConflictException(a.approver() + " already approved this attempt of step '" + a.stepId() + "'")
              : e));
    }

    @Override
    public Future<Void> markUsed(List<Long> approvalIds, Instant at) {
      if (approvalIds.isEmpty()) {
        return Future.succeededFuture();
      }
      return conn.preparedQuery("update step_approvals set used_at = $2 where id = any($1) and used_at is null")
          .execute(Tuple.of(approvalIds.toArray(Long[]::new), OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
          .compose(rows -> rows.rowCount() == approvalIds.size()
              ? Future.<Void>succeededFuture()
              : Future.failedFuture(new IllegalStateException("an approval was used concurrently")));
    }

    @Override
    public Future<Integer> voidApprovals(String runId, String stepId, String reason, Instant at) {
      return conn.preparedQuery("update step_approvals set voided_at = $3, void_reason = $4"
              + " where run_id = $1 and step_id = $2 and used_at is null and voided_at is null")
          .execute(Tuple.of(runId, stepId, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), reason))
          .map(RowSet::rowCount);
    }

    @Override
    public Future<Integer> voidApprovalsExpired(String runId, String stepId, Instant now) {
      return conn.preparedQuery("update step_approvals set voided_at = $3, void_reason = 'expired'"
              + " where run_id = $1 and step_id = $2 and used_at is null and voided_at is null and expires_at <= $3")
          .execute(Tuple.of(runId, stepId, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
          .map(RowSet::rowCount);
    }

    @Override
    public Future<Void> insertChecks(String runId, Optional<String> stepId, String phase, int attempt,
        List<CheckResult> results) {
      if (results.isEmpty()) {
        return Future.succeededFuture();
      }
      List<Tuple> rows = new ArrayList<>();
      for (int i = 0; i < results.size(); i++) {
        CheckResult r = results.get(i);
        rows.add(Tuple.tuple().addString(runId).addString(stepId.orElse(null)).addString(phase).addInteger(attempt)
            .addInteger(i).addString(r.kind()).addString(r.name()).addBoolean(r.passed()).addString(r.observed())
            .addString(r.expected()).addString(r.message()).addLong(r.durationMs()));
      }
      return conn.preparedQuery("insert into run_checks (run_id, step_id, phase, attempt, idx, kind, name, passed,"
              + " observed, expected, message, duration_ms) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
          .executeBatch(rows).mapEmpty();
    }

    @Override
    public void record(AuditEvent event) {
      events.add(Objects.requireNonNull(event, "event"));
    }
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> mapper) {
    List<T> out = new ArrayList<>(rows.size());
    rows.forEach(row -> out.add(mapper.apply(row)));
    return out;
  }

  static RunRecord runRow(Row r) {
    return new RunRecord(r.getString("id"), r.getString("runbook_id"), r.getInteger("runbook_version"),
        r.getString("content_hash"), (ObjectNode) json(r.getString("params")),
        Optional.ofNullable(r.getString("incident_id")), RunKind.fromDb(r.getString("kind")),
        r.getString("requested_by"), r.getString("requested_by_type"), RunState.fromDb(r.getString("state")),
        Optional.ofNullable(r.getString("waiting_for")), Optional.ofNullable(r.getString("work")),
        Optional.ofNullable(r.getString("lease_owner")), Optional.ofNullable(r.getOffsetDateTime("lease_until")),
        Optional.ofNullable(r.getString("error")), r.getOffsetDateTime("created_at"),
        r.getOffsetDateTime("updated_at"), Optional.ofNullable(r.getOffsetDateTime("finished_at")));
  }

  static StepRecord stepRow(Row r) {
    String[] targets = r.getArrayOfStrings("targets");
    return new StepRecord(r.getString("run_id"), r.getInteger("idx"), r.getString("step_id"), r.getString("title"),
        r.getString("risk"), StepState.fromDb(r.getString("state")), r.getInteger("attempt"),
        Optional.ofNullable(r.getString("action_hash")), Optional.ofNullable(json(r.getString("action_display"))),
        r.getString("action_type"), targets == null ? List.of() : Arrays.asList(targets),
        r.getBoolean("idempotent"), r.getBoolean("reversible"), r.getString("idempotency_key"),
        Optional.ofNullable(json(r.getString("undo"))), Optional.ofNullable(r.getString("undo_hash")),
        r.getString("undo_state"), Optional.ofNullable(json(r.getString("undo_output"))),
        Optional.ofNullable(r.getString("undo_error")), r.getBoolean("action_done"), r.getBoolean("may_have_applied"),
        Optional.ofNullable(json(r.getString("output"))), Optional.ofNullable(r.getString("summary")),
        Optional.ofNullable(r.getString("error")), Optional.ofNullable(r.getString("lease_owner")),
        Optional.ofNullable(r.getOffsetDateTime("lease_until")),
        Optional.ofNullable(r.getOffsetDateTime("awaiting_since")),
        Optional.ofNullable(r.getOffsetDateTime("started_at")), Optional.ofNullable(r.getOffsetDateTime("finished_at")));
  }

  static ApprovalRecord approvalRow(Row r) {
    String[] targets = r.getArrayOfStrings("targets");
    return new ApprovalRecord(r.getLong("id"), r.getString("run_id"), r.getString("step_id"), r.getInteger("attempt"),
        r.getString("approver"), r.getString("approver_type"), r.getString("role"), r.getString("content_hash"),
        r.getString("action_hash"), targets == null ? List.of() : Arrays.asList(targets),
        r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("expires_at").toInstant(),
        Optional.ofNullable(r.getOffsetDateTime("used_at")).map(OffsetDateTime::toInstant),
        Optional.ofNullable(r.getOffsetDateTime("voided_at")).map(OffsetDateTime::toInstant),
        Optional.ofNullable(r.getString("void_reason")));
  }

  private static JsonNode json(String text) {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON does not parse: " + e.getOriginalMessage(), e);
    }
  }
}
