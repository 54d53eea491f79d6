package dev.rebound.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The columns {@link PgRunStore} reads and how a row becomes a record. */
final class RunRows {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String RUN_COLUMNS = "id, runbook_id, runbook_version, content_hash, params::text as params,"
      + " incident_id, kind, requested_by, requested_by_type, state, waiting_for, work, lease_owner, lease_until,"
      + " error, created_at, updated_at, finished_at";
  static final String STEP_COLUMNS = "run_id, idx, step_id, title, risk, state, attempt, action_hash,"
      + " action_display::text as action_display, action_type, targets, idempotent, reversible, idempotency_key,"
      + " undo::text as undo, undo_hash, undo_state, undo_output::text as undo_output, undo_error, action_done,"
      + " may_have_applied, output::text as output, summary, error, lease_owner, lease_until, awaiting_since,"
      + " started_at, finished_at";
  static final String APPROVAL_COLUMNS = "id, run_id, step_id, attempt, approver, approver_type, role,"
      + " content_hash, action_hash, targets, created_at, expires_at, used_at, voided_at, void_reason";
  static final java.util.Set<String> JSON_COLUMNS =
      java.util.Set.of("params", "action_display", "undo", "undo_output", "output");

  private RunRows() {}

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  static <T> List<T> all(RowSet<Row> rows, Function<Row, T> mapper) {
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

  static JsonNode json(String text) {
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

