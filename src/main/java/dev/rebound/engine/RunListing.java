package dev.rebound.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.error.ValidationException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Runs, newest first, optionally of one state or one incident: one row per run with what a
 * person scanning a list needs (runbook, state, who asked, what it waits for). A read only;
 * non-blocking; the full picture of one run is {@link Engine#view}.
 */
public final class RunListing {
  public static final int MAX_LIMIT = 500;

  private final Pool pool;

  public RunListing(Pool pool) {
    this.pool = pool;
  }

  /**
   * @param state a run state's name ({@code proposed}, {@code running}, …)
   * @throws ValidationException (as a failed future) for an unknown state or a limit outside 1..500
   */
  public Future<List<ObjectNode>> list(Optional<String> state, Optional<String> incidentId, int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      return Future.failedFuture(new ValidationException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit));
    }
    if (state.isPresent() && Arrays.stream(RunState.values()).noneMatch(s -> s.dbName().equals(state.get()))) {
      return Future.failedFuture(new ValidationException("unknown run state '" + state.get() + "': one of "
          + String.join(", ", Arrays.stream(RunState.values()).map(RunState::dbName).toList())));
    }
    return pool.preparedQuery("select id, runbook_id, runbook_version, incident_id, kind, requested_by, state,"
            + " waiting_for, work, created_at, finished_at from runs"
            + " where ($1::text is null or state = $1) and ($2::text is null or incident_id = $2)"
            + " order by created_at desc, id desc limit $3")
        .execute(Tuple.of(state.orElse(null), incidentId.orElse(null), limit))
        .map(rows -> {
          List<ObjectNode> out = new java.util.ArrayList<>();
          rows.forEach(r -> {
            ObjectNode run = RunRows.JSON.createObjectNode();
            run.put("id", r.getString("id")).put("runbook_id", r.getString("runbook_id"))
                .put("runbook_version", r.getInteger("runbook_version")).put("incident_id", r.getString("incident_id"))
                .put("kind", r.getString("kind")).put("requested_by", r.getString("requested_by"))
                .put("state", r.getString("state")).put("waiting_for", r.getString("waiting_for"))
                .put("work", r.getString("work")).put("created_at", r.getOffsetDateTime("created_at").toString())
                .put("finished_at", Optional.ofNullable(r.getOffsetDateTime("finished_at")).map(Object::toString)
                    .orElse(null));
            out.add(run);
          });
          return out;
        });
  }
}
