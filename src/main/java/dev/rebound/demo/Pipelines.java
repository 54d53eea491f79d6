package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The warehouse pipelines ({@code demo_warehouse}): {@code events-daily} loads a day of raw events
 * into its partition of {@code events}, one transaction per day (scheduled after 02:00 UTC for
 * yesterday, or as a backfill of quarantined days); {@code ranker-retrain} and {@code
 * fraud-retrain} only pause and resume. The scheduler also closes yesterday's landing manifest at
 * 00:05 UTC. Event-loop only.
 */
final class Pipelines {
  static final String EVENTS_DAILY = "events-daily";
  static final int MAX_BACKFILL_DAYS = 31;
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final String JOB_SQL = """
      select job_id, pipeline, kind, date_from, date_to, status, partitions_total, partitions_done, rows_written,
             error, created_at, started_at, finished_at
      from demo_warehouse.pipeline_jobs where job_id = $1""";

  private final Pool pool;
  private final Epoch epoch;
  private final Random random = new Random();

  Pipelines(Pool pool, Epoch epoch) {
    this.pool = pool;
    this.epoch = epoch;
  }

  Future<JsonObject> pipeline(String name) {
    return pool.preparedQuery("""
            select p.name, p.paused, p.paused_reason, p.schedule, p.last_run_at, p.last_success_at,
                   (select j.job_id from demo_warehouse.pipeline_jobs j
                    where j.pipeline = p.name and j.status in ('queued', 'running')
                    order by j.created_at desc limit 1) as running_job_id
            from demo_warehouse.pipelines p where p.name = $1""")
        .execute(Tuple.of(name)).map(rows -> {
          if (rows.size() == 0) {
            throw DemoHttpException.notFound("pipeline " + name);
          }
          Row r = rows.iterator().next();
          return new JsonObject()
              .put("name", name)
              .put("paused", r.getBoolean("paused"))
              .put("paused_reason", r.getString("paused_reason"))
              .put("schedule", r.getString("schedule"))
              .put("last_run_at", Times.iso(r.getOffsetDateTime("last_run_at")))
              .put("last_success_at", Times.iso(r.getOffsetDateTime("last_success_at")))
              .put("running_job_id", r.getString("running_job_id"));
        });
  }

  /** Pause stops new scheduled runs, not a running job. */
  Future<JsonObject> setPaused(String name, boolean paused, String reason) {
    return pool.preparedQuery("update demo_warehouse.pipelines set paused = $2, paused_reason = $3 where name = $1")
        .execute(Tuple.of(name, paused, paused ? reason : null))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            throw DemoHttpException.notFound("pipeline " + name);
          }
          return pipeline(name);
        });
  }

  Future<JsonObject> job(String jobId) {
    return pool.preparedQuery(JOB_SQL).execute(Tuple.of(jobId)).map(rows -> {
      if (rows.size() == 0) {
        throw DemoHttpException.notFound("job " + jobId);
      }
      Row r = rows.iterator().next();
      return new JsonObject()
          .put("job_id", jobId)
          .put("pipeline", r.getString("pipeline"))
          .put("kind", r.getString("kind"))
          .put("from", String.valueOf(r.getLocalDate("date_from")))
          .put("to", String.valueOf(r.getLocalDate("date_to")))
          .put("status", r.getString("status"))
          .put("partitions_total", r.getInteger("partitions_total"))
          .put("partitions_done", r.getInteger("partitions_done"))
          .put("rows_written", r.getLong("rows_written"))
          .put("error", r.getString("error"))
          .put("created_at", Times.iso(r.getOffsetDateTime("created_at")))
          .put("started_at", Times.iso(r.getOffsetDateTime("started_at")))
          .put("finished_at", Times.iso(r.getOffsetDateTime("finished_at")));
    });
  }

  /**
   * 202: queues a backfill of {@code [from, to]}. 422 for a bad range; 409 {@code
   * job_in_progress}, {@code partition_not_quarantined} or {@code input_incomplete} (with the
   * offending {@code dates}). The checks and the job row are one transaction, serialised on the
   * pipeline row, so two backfills cannot both pass them.
   */
  Future<JsonObject> backfill(String pipeline, String fromText, String toText) {
    if (!EVENTS_DAILY.equals(pipeline)) {
      return Future.failedFuture(DemoHttpException.invalid("only events-daily can be backfilled"));
    }
    LocalDate from = date(fromText, "from");
    LocalDate to = date(toText, "to");
    LocalDate today = Times.today();
    if (from.isAfter(to) || !to.isBefore(today)) {
      return Future.failedFuture(DemoHttpException.invalid("the range must satisfy from <= to < today (" + today + ")"));
    }
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    if (days > MAX_BACKFILL_DAYS) {
      return Future.failedFuture(DemoHttpException.invalid("at most " + MAX_BACKFILL_DAYS + " days per backfill"));
    }
    String jobId = "bf-" + HexFormat.of().toHexDigits(random.nextInt());
    return pool.withTransaction(conn -> conn
            .query("select name from demo_warehouse.pipelines where name = 'events-daily' for update").execute()
            .compose(x -> busy(conn))
            .compose(x -> datesWhere(conn, """
                select partition_date as d from demo_warehouse.partitions
                where table_name = 'events' and partition_date between $1 and $2 and status = 'ready'
                order by 1""", from, to, "partition_not_quarantined", "partitions still ready (quarantine them first)"))
            .compose(x -> datesWhere(conn, """
                select g.day::date as d from generate_series($1::date, $2::date, interval '1 day') as g(day)
                where not exists (
                  select 1 from demo_warehouse.landing_manifests m
                  where m.source = 'clickstream' and m.event_date = g.day::date and m.status = 'complete'
                    and m.row_count = (select count(*) from demo_warehouse.raw_events r where r.event_date = g.day::date))
                order by 1""", from, to, "input_incomplete", "input has not landed completely"))
            .compose(x -> conn.preparedQuery("""
                    insert into demo_warehouse.pipeline_jobs (job_id, pipeline, kind, date_from, date_to, status, partitions_total)
                    values ($1, 'events-daily', 'backfill', $2, $3, 'queued', $4)""")
                .execute(Tuple.of(jobId, from, to, (int) days))))
        .map(x -> {
          runJob(jobId, from, to, false);
          return new JsonObject().put("job_id", jobId).put("pipeline", EVENTS_DAILY).put("from", from.toString())
              .put("to", to.toString()).put("status", "queued").put("partitions_total", days);
        });
  }

  private static Future<Void> busy(SqlConnection conn) {
    return conn.query("""
            select count(*) as n from demo_warehouse.pipeline_jobs
            where pipeline = 'events-daily' and status in ('queued', 'running')""").execute()
        .map(rows -> {
          if (rows.iterator().next().getLong("n") > 0) {
            throw DemoHttpException.conflict("job_in_progress", "an events-daily job is queued or running");
          }
          return null;
        });
  }

  private static Future<Void> datesWhere(SqlConnection conn, String sql, LocalDate from, LocalDate to, String code,
      String what) {
    return conn.preparedQuery(sql).execute(Tuple.of(from, to)).map(rows -> {
      if (rows.size() > 0) {
        JsonArray dates = new JsonArray();
        rows.forEach(r -> dates.add(r.getLocalDate("d").toString()));
        throw new DemoHttpException(409, code, what + ": " + dates.encode(), new JsonObject().put("dates", dates));
      }
      return null;
    });
  }

  private static LocalDate date(String text, String field) {
    if (text == null || !DATE.matcher(text).matches()) {
      throw DemoHttpException.invalid(field + " must be a date YYYY-MM-DD");
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw DemoHttpException.invalid(field + " is not a valid date: " + text);
    }
  }

  /**
   * Runs a job: each day in one transaction (lock the partition row, replace the day's rows from
   * raw_events, mark it ready with its row count). Stops at the first failing day. A scheduled run
   * then refreshes the offline features of its day.
   */
  private Future<Void> runJob(String jobId, LocalDate from, LocalDate to, boolean scheduled) {
    long started = epoch.current();
    Future<?> chain = pool.preparedQuery(
        "update demo_warehouse.pipeline_jobs set status = 'running', started_at = now() where job_id = $1")
        .execute(Tuple.of(jobId));
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      LocalDate day = d;
      chain = chain.compose(x -> epoch.check(started)).compose(x -> loadDay(jobId, day));
    }
    if (scheduled) {
      chain = chain.compose(x -> pool.preparedQuery("select demo_features.refresh_offline($1)").execute(Tuple.of(to)));
    }
    return chain
        .compose(x -> pool.preparedQuery("""
                update demo_warehouse.pipeline_jobs set status = 'succeeded', finished_at = now() where job_id = $1""")
            .execute(Tuple.of(jobId)))
        .compose(x -> scheduled ? pool.query("""
                update demo_warehouse.pipelines set last_run_at = now(), last_success_at = now()
                where name = 'events-daily'""").execute() : Future.succeededFuture())
        .recover(e -> !epoch.isCurrent(started) ? Future.succeededFuture() : pool.preparedQuery("""
                update demo_warehouse.pipeline_jobs set status = 'failed', error = $2, finished_at = now()
                where job_id = $1""").execute(Tuple.of(jobId, String.valueOf(e.getMessage()))))
        .mapEmpty();
  }

  private Future<Void> loadDay(String jobId, LocalDate day) {
    return pool.withTransaction(conn -> conn
        .preparedQuery("""
            select status from demo_warehouse.partitions
            where table_name = 'events' and partition_date = $1 for update""").execute(Tuple.of(day))
        .compose(x -> conn.preparedQuery("delete from demo_warehouse.events where event_date = $1").execute(Tuple.of(day)))
        .compose(x -> conn.preparedQuery("""
            insert into demo_warehouse.events (event_date, event_id, event_ts, user_id, item_id, event_type, amount, loaded_at)
            select event_date, event_id, event_ts, user_id, item_id, event_type, amount, now()
            from demo_warehouse.raw_events where event_date = $1""").execute(Tuple.of(day)))
        .compose(inserted -> {
          long rows = inserted.rowCount();
          return conn.preparedQuery("""
                  insert into demo_warehouse.partitions
                    (table_name, partition_date, status, row_count, loaded_at, loaded_by_job, updated_at)
                  values ('events', $1, 'ready', $2, now(), $3, now())
                  on conflict (table_name, partition_date) do update
                  set status = 'ready', row_count = excluded.row_count, loaded_at = excluded.loaded_at,
                      loaded_by_job = excluded.loaded_by_job, updated_at = excluded.updated_at""")
              .execute(Tuple.of(day, rows, jobId))
              .compose(x -> conn.preparedQuery("""
                      update demo_warehouse.pipeline_jobs
                      set partitions_done = partitions_done + 1, rows_written = rows_written + $2
                      where job_id = $1""").execute(Tuple.of(jobId, rows)));
        })
        .mapEmpty());
  }

  /**
   * Once a minute: at 00:05 UTC close yesterday's landing manifest; after 02:00 UTC run
   * {@code events-daily} for yesterday unless paused, busy, already loaded or the input is
   * incomplete.
   */
  Future<Void> schedulerTick() {
    LocalTime now = LocalTime.now(ZoneOffset.UTC);
    LocalDate yesterday = Times.today().minusDays(1);
    Future<?> chain = Future.succeededFuture();
    if (!now.isBefore(LocalTime.of(0, 5))) {
      chain = chain.compose(x -> pool.preparedQuery("""
              insert into demo_warehouse.landing_manifests (source, event_date, row_count, status)
              select 'clickstream', $1, count(*), 'complete' from demo_warehouse.raw_events where event_date = $1
              having count(*) > 0
              on conflict (source, event_date) do nothing""").execute(Tuple.of(yesterday)));
    }
    if (now.isBefore(LocalTime.of(2, 0))) {
      return chain.mapEmpty();
    }
    String jobId = "run-" + HexFormat.of().toHexDigits(random.nextInt());
    return chain.compose(x -> pool.withTransaction(conn -> conn
            .preparedQuery("""
                insert into demo_warehouse.pipeline_jobs
                  (job_id, pipeline, kind, date_from, date_to, status, partitions_total)
                select $1, 'events-daily', 'scheduled', $2, $2, 'queued', 1
                from demo_warehouse.pipelines p
                where p.name = 'events-daily' and not p.paused
                  and not exists (select 1 from demo_warehouse.pipeline_jobs j
                                  where j.pipeline = 'events-daily' and j.status in ('queued', 'running'))
                  and not exists (select 1 from demo_warehouse.partitions t
                                  where t.table_name = 'events' and t.partition_date = $2)
                  and exists (select 1 from demo_warehouse.landing_manifests m
                              where m.source = 'clickstream' and m.event_date = $2 and m.status = 'complete')""")
            .execute(Tuple.of(jobId, yesterday))))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture() : runJob(jobId, yesterday, yesterday, true))
        .mapEmpty();
  }

  void mount(DemoRouter routes) {
    routes.get("/pipeline/admin/pipelines/:name", ctx -> pipeline(ctx.pathParam("name")).map(Reply::ok));
    routes.post("/pipeline/admin/pipelines/:name/pause", ctx -> {
      String reason = Bodies.optionalText(Bodies.json(ctx), "reason").orElse("paused by admin API");
      String actor = ctx.request().getHeader("X-Actor");
      return setPaused(ctx.pathParam("name"), true, actor == null ? reason : actor + ": " + reason).map(Reply::ok);
    });
    routes.post("/pipeline/admin/pipelines/:name/resume", ctx -> {
      Bodies.json(ctx);
      return setPaused(ctx.pathParam("name"), false, null).map(Reply::ok);
    });
    routes.post("/pipeline/admin/backfill", ctx -> {
      JsonObject body = Bodies.json(ctx);
      return backfill(Bodies.text(body, "pipeline"), Bodies.optionalText(body, "from").orElse(null),
          Bodies.optionalText(body, "to").orElse(null)).map(Reply::accepted);
    });
    routes.get("/pipeline/admin/jobs/:job_id", ctx -> job(ctx.pathParam("job_id")).map(Reply::ok));
  }
}
