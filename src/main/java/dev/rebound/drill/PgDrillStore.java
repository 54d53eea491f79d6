package dev.rebound.drill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Drill reports in PostgreSQL ({@code drill_reports}, V7). {@link #save} is an upsert of the whole
 * report, called after every phase, so the latest state survives a restart; a drill found
 * {@code running} by a new process after its owner died is closed by {@link #closeAbandoned}.
 */
public final class PgDrillStore {
  private static final String COLUMNS = "drill_id, scenario_id, runbook_id, assets, status, started_at, finished_at,"
      + " recovery_ms, within_rto, failure, report::text as report";

  private final Pool pool;

  public PgDrillStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> save(DrillReport r) {
    ObjectNode json = r.toJson();
    return pool.preparedQuery("""
            insert into drill_reports (drill_id, scenario_id, runbook_id, assets, status, started_at, finished_at,
              detection_ms, recovery_ms, within_rto, run_id, failure, report)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            on conflict (drill_id) do update set status = excluded.status, finished_at = excluded.finished_at,
              detection_ms = excluded.detection_ms, recovery_ms = excluded.recovery_ms,
              within_rto = excluded.within_rto, run_id = excluded.run_id, failure = excluded.failure,
              report = excluded.report""")
        .execute(Tuple.tuple(Arrays.asList(r.drillId, r.scenario.id(), r.scenario.expectedRunbook(),
            r.scenario.assets().toArray(String[]::new), r.status.wire(), time(r.startedAt),
            r.finishedAt == null ? null : time(r.finishedAt), r.detectionMs, r.recoveryMs, r.withinRto(), r.runId,
            r.failure, new io.vertx.core.json.JsonObject(json.toString()))))
        .mapEmpty();
  }

  public Future<Optional<DrillRecord>> get(String drillId) {
    return pool.preparedQuery("select " + COLUMNS + " from drill_reports where drill_id = $1")
        .execute(Tuple.of(drillId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(record(rows.iterator().next())));
  }

  /** The newest drill of each scenario. */
  public Future<List<DrillRecord>> latestPerScenario() {
    return query("select distinct on (scenario_id) " + COLUMNS + " from drill_reports"
        + " order by scenario_id, started_at desc", Tuple.tuple());
  }

  /** The newest finished drill of each runbook, for flags. */
  public Future<List<DrillRecord>> latestFinishedPerRunbook() {
    return query("select distinct on (runbook_id) " + COLUMNS + " from drill_reports where status <> 'running'"
        + " order by runbook_id, started_at desc", Tuple.tuple());
  }

  /**
   * The newest {@code perRunbook} passed drills of each runbook, newest first within a runbook:
   * what {@link DrillTrend} compares, for every runbook in one query.
   */
  public Future<List<DrillRecord>> latestPassedPerRunbook(int perRunbook) {
    return query("select " + COLUMNS + " from (select *, row_number() over (partition by runbook_id"
        + " order by started_at desc) as nth from drill_reports where status = 'passed' and recovery_ms is not null) d"
        + " where nth <= $1 order by runbook_id, started_at desc", Tuple.of(perRunbook));
  }

  /** Newest first, at most {@code limit}; {@code runbook} and {@code asset} filter when present. */
  public Future<List<DrillRecord>> history(Optional<String> runbook, Optional<String> asset, int limit) {
    return query("select " + COLUMNS + " from drill_reports where ($1::text is null or runbook_id = $1)"
        + " and ($2::text is null or $2 = any(assets)) order by started_at desc limit $3",
        Tuple.of(runbook.orElse(null), asset.orElse(null), limit));
  }

  /**
   * Drills left {@code running} by a process that is gone (started before {@code before}), marked
   * failed with what their saved report tells ({@link DrillInterruption}: the phase, the run, and
   * whether the fault may still be in place and where). Completes with how many.
   */
  public Future<Integer> closeAbandoned(Instant before) {
    return query("select " + COLUMNS + " from drill_reports where status = 'running' and started_at < $1",
        Tuple.of(time(before)))
        .compose(abandoned -> Future.all(abandoned.stream().map(r -> fail(r.drillId(),
                DrillInterruption.describe(DrillInterruption.ABANDONED, r.report()))).toList())
            .map(all -> all.<Integer>list().stream().mapToInt(Integer::intValue).sum()));
  }

  /** Marks the drill failed with {@code failure}, unless it ended meanwhile; completes with 1 or 0. */
  private Future<Integer> fail(String drillId, String failure) {
    return pool.preparedQuery("""
            update drill_reports set status = 'failed', finished_at = now(), failure = $2,
              report = report || jsonb_build_object('status', 'failed', 'failure', $2::text)
            where drill_id = $1 and status = 'running'""")
        .execute(Tuple.of(drillId, failure)).map(rows -> rows.rowCount());
  }

  private Future<List<DrillRecord>> query(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      List<DrillRecord> out = new ArrayList<>();
      rows.forEach(row -> out.add(record(row)));
      return out;
    });
  }

  private static DrillRecord record(Row row) {
    ObjectNode report;
    try {
      report = (ObjectNode) DrillReport.JSON.readTree(row.getString("report"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("drill report " + row.getString("drill_id") + " is not JSON", e);
    }
    return new DrillRecord(row.getString("drill_id"), row.getString("scenario_id"), row.getString("runbook_id"),
        List.of(row.getArrayOfStrings("assets")), row.getString("status"),
        row.getOffsetDateTime("started_at").toInstant(),
        Optional.ofNullable(row.getOffsetDateTime("finished_at")).map(OffsetDateTime::toInstant),
        Optional.ofNullable(row.getLong("recovery_ms")), Optional.ofNullable(row.getBoolean("within_rto")),
        Optional.ofNullable(row.getString("failure")), report);
  }

  private static OffsetDateTime time(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
