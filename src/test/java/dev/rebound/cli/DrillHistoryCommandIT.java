package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.FIXTURES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.testing.TestDatabase;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rebound drill history} where nothing was drilled yet, recovery times beside the RTO they
 * were judged against, and a limit out of range.
 */
class DrillHistoryCommandIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private final CliRunner cli = CliRunner.in(FIXTURES, Map.of("DATABASE_URL", db.urlText()));

  @Test
  void withoutDrillsSaysSoInsteadOfAnEmptyTable() {
    CliRunner.Result result = cli.run("drill", "history", "--runbook", "restart-shop", "--asset", "shop.api");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.outLines()).containsExactly(
        "no drills of runbook restart-shop affecting shop.api yet: rebound drill list shows the scenarios");
  }

  @Test
  void anIdThatNamesNoRunbookIsNotFoundRatherThanNeverDrilled() {
    CliRunner.Result result = cli.run("drill", "history", "--runbook", "restart-shp");

    assertThat(result.exit()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).containsExactly("rebound: no drills of runbook 'restart-shp', and no such runbook"
        + " in runbooks (known: restart-shop)");
  }

  @Test
  void recoveryTimesReadAsTheDrillReportShowsThemNotCutToWholeSeconds() throws Exception {
    // 300.9 s against a 300 s RTO: in whole seconds it read "300s ... MISSED".
    drill("late", "history.asset", "2026-01-02T00:00:00Z", 300_900L, false, 300);
    drill("quick", "history.asset", "2026-01-01T00:00:00Z", 4_593L, true, 1800);

    CliRunner.Result result = cli.run("drill", "history", "--asset", "history.asset");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.outLines()).anySatisfy(line -> assertThat(line).startsWith("late ")
        .contains(" 300.9s / RTO 5m ").contains(" MISSED "));
    assertThat(result.outLines()).anySatisfy(line -> assertThat(line).startsWith("quick ")
        .contains(" 4.6s / RTO 30m ").contains(" within "));
    assertThat(result.outLines()).last().asString().endsWith("(recovery times, newest first: [4.6s])");
  }

  @Test
  void aDrillOfSeveralAssetsReadsAgainstTheTightestRtoTheOnlyOneThatDecidesWithin() throws Exception {
    drill("wide", "wide.asset", "2026-01-03T00:00:00Z", 90_000L, true, 7200, 600, 1800);
    drill("unmeasured", "wide.asset", "2026-01-04T00:00:00Z", null, null);

    CliRunner.Result result = cli.run("drill", "history", "--asset", "wide.asset");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.outLines()).anySatisfy(line -> assertThat(line).startsWith("wide ")
        .contains(" 90.0s / RTO 10m ").contains(" within "));
    assertThat(result.outLines()).anySatisfy(line -> assertThat(line).startsWith("unmeasured ")
        .doesNotContain("RTO"));
  }

  @Test
  void limitOutOfRangeIsRefusedNotClamped() {
    CliRunner.Result result = cli.run("drill", "history", "--limit", "0");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly("rebound: limit must be between 1 and 200, got 0");
  }

  /** A stored drill whose report judged it against these assets' RTOs (none: not measured). */
  private static void drill(String id, String asset, String startedAt, Long recoveryMs, Boolean withinRto,
      long... rtoSeconds) throws Exception {
    String status = Boolean.TRUE.equals(withinRto) ? "passed" : "failed";
    String assets = Arrays.stream(rtoSeconds)
        .mapToObj(rto -> "{\"id\": \"" + asset + "\", \"rto_seconds\": " + rto + "}")
        .collect(Collectors.joining(", ", "[", "]"));
    db.execute("insert into drill_reports (drill_id, scenario_id, runbook_id, assets, status, started_at,"
        + " finished_at, recovery_ms, within_rto, report) values ('" + id + "', 'shop-down', 'restart-shop',"
        + " array['" + asset + "'], '" + status + "', '" + startedAt + "', '" + startedAt + "', " + recoveryMs
        + ", " + withinRto + ", '{\"assets\": " + assets + "}'::jsonb)");
  }
}
