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
 * {@code rebound drill SCENARIO} whose runbook was never approved: refused as the API refuses it,
 * before a demo system is looked for or started and the index is checked, and nothing recorded.
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
}
