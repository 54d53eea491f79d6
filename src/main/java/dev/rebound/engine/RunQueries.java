package dev.rebound.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Read-only lookups over {@code runs} that the {@link RunStore} port does not need for its
 * transitions: the runs of an incident (index {@code runs_incident}) and who proposed a run
 * ({@code V10__run_proposers.sql}). Non-blocking; pure reads, safe to repeat.
 */
final class RunQueries {
  /** More runs than any incident plausibly has; a bound so one request cannot read the table. */
  static final int MAX_RUNS_PER_INCIDENT = 500;

  private final Pool pool;

  RunQueries(Pool pool) {
    this.pool = pool;
  }

  /** Who proposed the run for its requester (the agent), when someone did. */
  record Proposer(String id, String type) {}

  Future<Optional<Proposer>> proposer(String runId) {
    return pool.preparedQuery("select proposed_by, proposed_by_type from runs where id = $1")
        .execute(Tuple.of(runId))
        .map(rows -> {
          for (Row row : rows) {
            String id = row.getString("proposed_by");
            return id == null ? Optional.<Proposer>empty() : Optional.of(new Proposer(id, row.getString("proposed_by_type")));
          }
          return Optional.<Proposer>empty();
        });
  }

  /** Summaries of the incident's runs, oldest first. */
  Future<List<ObjectNode>> ofIncident(String incidentId) {
    return pool.preparedQuery("select id, runbook_id, runbook_version, kind, state, requested_by, proposed_by,"
            + " waiting_for, work, error, created_at, updated_at, finished_at from runs where incident_id = $1"
            + " order by created_at, id limit $2")
        .execute(Tuple.of(incidentId, MAX_RUNS_PER_INCIDENT))
        .map(rows -> {
          List<ObjectNode> out = new ArrayList<>();
          for (Row row : rows) {
            ObjectNode o = RunRows.JSON.createObjectNode();
            o.put("id", row.getString("id")).put("runbook_id", row.getString("runbook_id"))
                .put("runbook_version", row.getInteger("runbook_version")).put("incident_id", incidentId)
                .put("kind", row.getString("kind")).put("state", row.getString("state"))
                .put("requested_by", row.getString("requested_by")).put("proposed_by", row.getString("proposed_by"))
                .put("waiting_for", row.getString("waiting_for")).put("work", row.getString("work"))
                .put("error", row.getString("error")).put("created_at", time(row.getOffsetDateTime("created_at")))
                .put("updated_at", time(row.getOffsetDateTime("updated_at")))
                .put("finished_at", time(row.getOffsetDateTime("finished_at")));
            out.add(o);
          }
          return out;
        });
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
