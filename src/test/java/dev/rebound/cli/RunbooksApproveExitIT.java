package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.testing.CapturedStderr;
import dev.rebound.testing.TestDatabase;
import dev.rebound.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebound runbooks approve} exits as soon as its entry is chained: the seals still under
 * way then must end before the pool closes, quietly. A database of its own, so the entries counted
 * are this test's.
 */
class RunbooksApproveExitIT {
  private static final String ID = "feature-store-restore";
  private static final int APPROVALS = 15;

  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  @TempDir Path temp;

  @Test
  void every_approval_is_sealed_before_the_command_exits_and_nothing_is_logged() throws Exception {
    TestFiles.copyTree(REPO.resolve("runbooks"), temp.resolve("runbooks"));
    TestFiles.copyTree(REPO.resolve("knowledge"), temp.resolve("knowledge"));
    Path file = temp.resolve("runbooks/" + ID + ".yaml");
    String original = Files.readString(file);
    CliRunner cli = CliRunner.in(REPO, Map.of("DATABASE_URL", db.urlText()));
    String[] approve = {"--runbooks", temp.resolve("runbooks").toString(), "--knowledge",
        temp.resolve("knowledge").toString(), "runbooks", "approve", ID + "@1", "--approver", "bruno"};

    List<String> logged;
    try (CapturedStderr stderr = CapturedStderr.start()) {
      for (int i = 0; i < APPROVALS; i++) {
        // New content each time (the title), so each approval is new and adds an entry.
        Files.writeString(file, original.replaceFirst("(?m)^title: (.*)$", "title: $1 (review " + i + ")"));
        CliRunner.Result result = cli.run(approve);
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
      }
      logged = stderr.lines();
    }

    // Before: now and then "WARN AuditSealer - sealing audit entries failed: ... Pool closed".
    assertThat(logged).as("logged by the commands").isEmpty();
    // Counted before audit verify, which would seal what a command left pending.
    assertThat(db.rows("select count(*) from audit_pending")).containsExactly("0");
    CliRunner.Result verify = cli.run("audit", "verify");
    assertThat(verify.exit()).as(verify.toString()).isZero();
    assertThat(verify.out()).contains("audit chain intact: " + APPROVALS + " entries");
  }
}
