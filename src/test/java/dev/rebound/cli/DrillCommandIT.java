package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.FIXTURES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.testing.TestDatabase;
import dev.rebound.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebound drill SCENARIO}: one whose runbook was never approved is refused as the API
 * refuses it, before a demo system is looked for or started and the index is checked, and nothing
 * recorded; one run against a demo system it starts itself recovers that one.
 */
class DrillCommandIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  @Test
  void aDrillOfAnUnapprovedRunbookIsRefusedBeforeAnythingIsPreparedOrRecorded(@TempDir Path dir) throws Exception {
    TestFiles.copyTree(FIXTURES, dir);
    Files.createDirectories(dir.resolve("drills"));
    Files.writeString(dir.resolve("drills/shop-hangs.yaml"), """
        id: shop-hangs
        title: The shop API hangs and is restarted
        fault: serving-primary-down
        symptom: the shop API answers nothing
        assets: [svc.shop]
        expected_runbook: restart-shop
        params: {reason: drill}
        """);
    CliRunner cli = CliRunner.in(dir, Map.of("DATABASE_URL", db.urlText()));

    CliRunner.Result drill = cli.run("drill", "shop-hangs");
    CliRunner.Result history = cli.run("drill", "history", "--runbook", "restart-shop");

    assertThat(drill.exit()).as(drill.toString()).isEqualTo(1);
    assertThat(drill.err()).as(drill.toString())
        .startsWith("rebound: drill shop-hangs not started, nothing recorded: runbook restart-shop v2 cannot be started")
        .contains("; approve it first: rebound runbooks approve restart-shop@2 --approver SOMEONE (not its author, ana)")
        .doesNotContain("demo system", "search index");
    assertThat(history.outLines()).containsExactly(
        "no drills of runbook restart-shop yet: rebound drill list shows the scenarios");
  }

  @Test
  void aDrillOnTheDemoSystemItStartsActsOnThatOne(@TempDir Path dir) throws Exception {
    // The bundled content, its runbooks' URLs (rebound.yaml's template_env) and drills.demo_url at
    // a port nobody listens on: the drill starts its own demo system on another port, and its
    // runbook, and the scenario's snapshot_id (from_http {{env.FEATURES_URL}}/…), have to act on that one.
    for (String part : new String[] {"runbooks", "drills", "knowledge"}) {
      TestFiles.copyTree(CliRunner.REPO.resolve(part), dir.resolve(part));
    }
    Files.writeString(dir.resolve("rebound.yaml"), Files.readString(CliRunner.REPO.resolve("rebound.yaml"))
        .replace("localhost:8090", "localhost:" + CliRunner.unusedPort()));
    CliRunner cli = CliRunner.in(dir, Map.of("DATABASE_URL", db.urlText(),
        "REBOUND_DEMO_PORT", String.valueOf(CliRunner.unusedPort()), "REBOUND_DRILL_WAIT_SCALE", "0.05"));
    assertThat(cli.run("runbooks", "approve", "feature-store-restore@1", "--approver", "bruno").exit()).isZero();

    CliRunner.Result drill = cli.run("drill", "features-corrupt");

    assertThat(drill.err()).contains("starting one in this process for the drill");
    assertThat(drill.out()).as(drill.toString()).startsWith("drill features-corrupt (drill-")
        .contains(": PASSED");
    assertThat(drill.exit()).as(drill.toString()).isZero();
  }

  @Test
  void theDemoSystemItStartsWithItsFilesElsewhereHasItsArtifactsHashedThere(@TempDir Path dir, @TempDir Path demoDir)
      throws Exception {
    // REBOUND_DEMO_DIR elsewhere: the demo writes var/demo/... there, while knowledge/assets.yaml
    // names the artifacts serving-failover's preconditions hash as file:./var/demo/...; they are
    // hashed under the demo's directory, not under Rebound's working directory.
    for (String part : new String[] {"runbooks", "drills", "knowledge"}) {
      TestFiles.copyTree(CliRunner.REPO.resolve(part), dir.resolve(part));
    }
    Files.writeString(dir.resolve("rebound.yaml"), Files.readString(CliRunner.REPO.resolve("rebound.yaml"))
        .replace("localhost:8090", "localhost:" + CliRunner.unusedPort()));
    CliRunner cli = CliRunner.in(dir, Map.of("DATABASE_URL", db.urlText(), "REBOUND_DEMO_DIR", demoDir.toString(),
        "REBOUND_DEMO_PORT", String.valueOf(CliRunner.unusedPort()), "REBOUND_DRILL_WAIT_SCALE", "0.05"));
    assertThat(cli.run("runbooks", "approve", "serving-failover@1", "--approver", "bruno").exit()).isZero();

    CliRunner.Result drill = cli.run("drill", "serving-primary-down");

    assertThat(drill.out()).as(drill.toString()).startsWith("drill serving-primary-down (drill-")
        .contains(": PASSED");
    assertThat(drill.exit()).as(drill.toString()).isZero();
    // Which files were hashed (a stale var/demo under the tests' own working directory would pass too).
    assertThat(db.rows("select passed || ' ' || message from run_checks where kind = 'sha256' and phase = 'precondition'"
        + " order by idx")).satisfiesExactly(
            ranker -> assertThat(ranker).startsWith("true matches (" + demoDir.resolve("var/demo/models/ranker-v12.onnx")),
            fraud -> assertThat(fraud).startsWith("true matches (" + demoDir.resolve("var/demo/models/fraud-v7.onnx")));
  }
}
