package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The online feature store ({@code demo_features}): the ingestion loop, its admin switch, scheduled
 * snapshots and online reads. The ingest tick locks {@code ingest_state} ({@code FOR UPDATE}) in
 * the same transaction as its writes, so a pause, which updates that row, takes effect before its
 * response: no ingest transaction commits after it. A "stuck" consumer (fault) skips its ticks
 * without being paused; resume clears it. Event-loop only.
 */
final class FeatureStore {
  static final int BATCH = 500;
  private static final String STATUS_SQL = """
      select s.paused, s.paused_at, s.paused_reason, s.consumer_offset, s.last_ingested_at,
             coalesce((select max(event_id) from demo_warehouse.raw_events), 0) as head_offset
      from demo_features.ingest_state s where s.id = 1""";

  private final Pool pool;
  private boolean stuck;

  FeatureStore(Pool pool) {
    this.pool = pool;
  }

  /** Fault: the consumer silently stops applying events, while reporting itself not paused. */
  void stick() {
    stuck = true;
  }

  void reset() {
    stuck = false;
  }

  boolean stuck() {
    return stuck;
  }

  Future<JsonObject> status() {
    return pool.query(STATUS_SQL).execute().map(rows -> statusJson(rows.iterator().next()));
  }

  Future<JsonObject> pause(String reason, String actor) {
    String recorded = actor == null ? reason : actor + ": " + reason;
    return pool.preparedQuery("""
            update demo_features.ingest_state
            set paused = true, paused_at = case when paused then paused_at else now() end,
                paused_reason = $1
            where id = 1""")
        .execute(Tuple.of(recorded))
        .compose(x -> status());
  }

  Future<JsonObject> resume() {
    stuck = false;
    return pool.query("""
            update demo_features.ingest_state set paused = false, paused_at = null, paused_reason = null
            where id = 1""")
        .execute()
        .compose(x -> status());
  }

  /**
   * One ingest transaction: lock the state; unless paused, apply up to {@value #BATCH} events after
   * the consumer offset (recomputing the affected users' features) and advance the offset.
   */
  Future<Void> ingestTick() {
    if (stuck) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(conn -> conn
        .query("select paused, consumer_offset from demo_features.ingest_state where id = 1 for update").execute()
        .compose(rows -> {
          Row state = rows.iterator().next();
          if (state.getBoolean("paused")) {
            return Future.succeededFuture();
          }
          return apply(conn, state.getLong("consumer_offset"));
        }));
  }

  private Future<Void> apply(SqlConnection conn, long offset) {
    return conn.preparedQuery("""
            select max(event_id) as upto, array_agg(distinct user_id) as users
            from (select event_id, user_id from demo_warehouse.raw_events
                  where event_id > $1 order by event_id limit $2) as batch""")
        .execute(Tuple.of(offset, BATCH))
        .compose(rows -> {
          Row batch = rows.iterator().next();
          Long upto = batch.getLong("upto");
          if (upto == null) {
            return Future.<Void>succeededFuture();
          }
          String[] users = batch.getArrayOfStrings("users");
          return conn.preparedQuery("""
                  insert into demo_features.feature_values (entity_id, feature_name, value, updated_at)
                  select f.entity_id, f.feature_name, f.value, now()
                  from demo_features.user_features($1, $2) as f
                  on conflict (entity_id, feature_name)
                  do update set value = excluded.value, updated_at = excluded.updated_at""")
              .execute(Tuple.of(users, upto))
              .compose(x -> conn.preparedQuery("""
                      update demo_features.ingest_state set consumer_offset = $1, last_ingested_at = now()
                      where id = 1""").execute(Tuple.of(upto)))
              .mapEmpty();
        });
  }

  /** Scheduled snapshot, and retention: snapshots older than 7 days go. */
  Future<Void> snapshotTick() {
    return pool.query("select demo_features.create_snapshot('scheduled')").execute()
        .compose(x -> pool.query("delete from demo_features.snapshots where created_at < now() - interval '7 days'")
            .execute())
        .mapEmpty();
  }

  Future<JsonObject> createSnapshot(String label) {
    return pool.preparedQuery("select demo_features.create_snapshot($1) as id").execute(Tuple.of(label))
        .compose(rows -> snapshot(rows.iterator().next().getString("id")));
  }

  Future<JsonObject> snapshot(String id) {
    return pool.preparedQuery(SNAPSHOT_SQL + " where snapshot_id = $1").execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            throw DemoHttpException.notFound("snapshot " + id);
          }
          return snapshotJson(rows.iterator().next());
        });
  }

  Future<JsonObject> snapshots() {
    return pool.query(SNAPSHOT_SQL + " order by created_at desc limit 50").execute()
        .map(rows -> {
          JsonArray list = new JsonArray();
          rows.forEach(r -> list.add(snapshotJson(r)));
          return new JsonObject().put("snapshots", list);
        });
  }

  private static final String SNAPSHOT_SQL = """
      select snapshot_id, label, created_at, consumer_offset, row_count, checksum, verified, verified_at
      from demo_features.snapshots""";

  /** The online features of one entity, top-level by name, with {@code missing} nulls counted. */
  Future<JsonObject> online(String entityId) {
    return pool.preparedQuery("""
            select feature_name, value, updated_at from demo_features.feature_values
            where entity_id = $1 order by feature_name""")
        .execute(Tuple.of(entityId))
        .map(rows -> onlineJson(entityId, rows));
  }

  private static JsonObject onlineJson(String entityId, RowSet<Row> rows) {
    if (rows.size() == 0) {
      throw DemoHttpException.notFound("entity " + entityId);
    }
    JsonObject out = new JsonObject().put("entity_id", entityId);
    int missing = 0;
    java.time.OffsetDateTime newest = null;
    for (Row r : rows) {
      Double value = r.getDouble("value");
      out.put(r.getString("feature_name"), value);
      missing += value == null ? 1 : 0;
      java.time.OffsetDateTime at = r.getOffsetDateTime("updated_at");
      newest = newest == null || at.isAfter(newest) ? at : newest;
    }
    return out.put("features_missing", missing).put("updated_at", Times.iso(newest));
  }

  private static JsonObject statusJson(Row r) {
    long consumer = r.getLong("consumer_offset");
    long head = r.getLong("head_offset");
    return new JsonObject()
        .put("paused", r.getBoolean("paused"))
        .put("paused_at", Times.iso(r.getOffsetDateTime("paused_at")))
        .put("paused_reason", r.getString("paused_reason"))
        .put("consumer_offset", consumer)
        .put("head_offset", head)
        .put("events_behind", Math.max(0, head - consumer))
        .put("last_ingested_at", Times.iso(r.getOffsetDateTime("last_ingested_at")));
  }

  private static JsonObject snapshotJson(Row r) {
    return new JsonObject()
        .put("snapshot_id", r.getString("snapshot_id"))
        .put("label", r.getString("label"))
        .put("created_at", Times.iso(r.getOffsetDateTime("created_at")))
        .put("consumer_offset", r.getLong("consumer_offset"))
        .put("row_count", r.getLong("row_count"))
        .put("checksum", r.getString("checksum"))
        .put("verified", r.getBoolean("verified"))
        .put("verified_at", Times.iso(r.getOffsetDateTime("verified_at")));
  }

  void mount(DemoRouter routes) {
    routes.get("/features/admin/ingest/status", ctx -> status().map(Reply::ok));
    routes.post("/features/admin/ingest/pause", ctx -> {
      String reason = Bodies.optionalText(Bodies.json(ctx), "reason").orElse("paused by admin API");
      return pause(reason, ctx.request().getHeader("X-Actor")).map(Reply::ok);
    });
    routes.post("/features/admin/ingest/resume", ctx -> {
      Bodies.json(ctx);
      return resume().map(Reply::ok);
    });
    routes.get("/features/admin/snapshots", ctx -> snapshots().map(Reply::ok));
    routes.post("/features/admin/snapshots", ctx -> {
      String label = Bodies.optionalText(Bodies.json(ctx), "label").orElse("manual");
      return createSnapshot(label).map(Reply::created);
    });
    routes.get("/features/admin/snapshots/:snapshot_id", ctx -> snapshot(ctx.pathParam("snapshot_id")).map(Reply::ok));
    routes.get("/features/online/:entity_id", ctx -> online(ctx.pathParam("entity_id")).map(Reply::ok));
  }
}
