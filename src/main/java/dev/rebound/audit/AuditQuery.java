package dev.rebound.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads audit entries for people and tools: a run's timeline, an incident's, one actor's, by
 * action. Non-blocking; entries come back as stored (details already masked when written). Seals
 * pending entries before reading, so every entry committed before the call is seen.
 * Filters are bind parameters, never SQL text.
 */
public final class AuditQuery {
  private final Pool pool;

  public AuditQuery(Pool pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  public Future<List<AuditEntry>> find(AuditFilter filter) {
    List<String> where = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    filter.runId().ifPresent(v -> add(where, params, "run_id = $", v));
    filter.incidentId().ifPresent(v -> add(where, params, "incident_id = $", v));
    filter.actorId().ifPresent(v -> add(where, params, "actor_id = $", v));
    filter.actorType().ifPresent(v -> add(where, params, "actor_type = $", v.dbName()));
    // starts_with, not LIKE: a prefix with % or _ in it means those characters.
    filter.actionPrefix().ifPresent(v -> add(where, params, "starts_with(action, $", v, ")"));
    filter.afterSeq().ifPresent(v -> add(where, params, "seq > $", v));
    filter.beforeSeq().ifPresent(v -> add(where, params, "seq < $", v));
    params.add(filter.limit());
    String sql = "select " + AuditRows.COLUMNS + " from audit_log"
        + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
        + " order by seq " + (filter.order() == AuditFilter.Order.NEWEST_FIRST ? "desc" : "asc")
        + " limit $" + params.size();
    // Seal first: an entry committed before this read is then in the chain (read-your-writes).
    return AuditSealer.sealAll(pool).compose(sealed -> pool.preparedQuery(sql).execute(Tuple.from(params))).map(rows -> {
      List<AuditEntry> entries = new ArrayList<>(rows.size());
      for (Row row : rows) {
        entries.add(AuditRows.entry(row));
      }
      return entries;
    });
  }

  private static void add(List<String> where, List<Object> params, String condition, Object value) {
    add(where, params, condition, value, "");
  }

  private static void add(List<String> where, List<Object> params, String condition, Object value, String close) {
    params.add(value);
    where.add(condition + params.size() + close);
  }
}
