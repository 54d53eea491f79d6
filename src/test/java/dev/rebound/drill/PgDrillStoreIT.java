package dev.rebound.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.db.Database;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The passed drills every runbook's trend is computed from, read for all runbooks at once (the
 * Drills page shows every drilled runbook's trend with one request).
 */
@ExtendWith(VertxExtension.class)
class PgDrillStoreIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  @Test
  void the_newest_passed_drills_of_each_runbook_and_nothing_else(Vertx vertx) throws Exception {
    // model-rollback: twelve passed drills, one day apart (recovery = its day in seconds), then a
    // newer failed one and a newer passed one without a recovery time; serving-failover: two.
    for (int day = 1; day <= 12; day++) {
      drill("mr-" + day, "model-rollback", "passed", day, day * 1000L);
    }
    drill("mr-failed", "model-rollback", "failed", 13, 1L);
    drill("mr-no-time", "model-rollback", "passed", 14, null);
    drill("sf-1", "serving-failover", "passed", 1, 500L);
    drill("sf-2", "serving-failover", "passed", 2, 400L);

    Database database = db.database(vertx).await(10, TimeUnit.SECONDS);
    try {
      List<DrillRecord> passed = new PgDrillStore(database.pool()).latestPassedPerRunbook(DrillTrend.WINDOW)
          .await(10, TimeUnit.SECONDS);

      assertThat(passed).extracting(DrillRecord::drillId).containsExactly(
          "mr-12", "mr-11", "mr-10", "mr-9", "mr-8", "mr-7", "mr-6", "mr-5", "mr-4", "mr-3", "sf-2", "sf-1");
      assertThat(DrillTrend.of(passed.subList(10, 12)).direction()).isEqualTo("improving");
    } finally {
      database.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void drill(String id, String runbook, String status, int day, Long recoveryMs) throws Exception {
    String started = "2026-01-01T00:00:00Z'::timestamptz + interval '" + day + " days";
    db.execute("insert into drill_reports (drill_id, scenario_id, runbook_id, assets, status, started_at,"
        + " finished_at, recovery_ms, within_rto, report) values ('" + id + "', 'scenario-" + runbook + "', '"
        + runbook + "', array['a.b'], '" + status + "', '" + started + "', '" + started + "', "
        + recoveryMs + ", true, '{}'::jsonb)");
  }
}
