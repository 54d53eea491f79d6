package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.FIXTURES;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final CliRunner cli = CliRunner.in(FIXTURES, CliRunner.offline());

  @Test
  void helpListsEveryCommandAndExitsZero() {
    CliRunner.Result result = cli.run("--help");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.out()).contains("--runbooks=DIR", "--knowledge=DIR", "Exit codes:");
    assertThat(result.out()).containsPattern("(?m)^  lint ").containsPattern("(?m)^  plan ")
        .containsPattern("(?m)^  runbooks ").containsPattern("(?m)^  assets ")
        .containsPattern("(?m)^  tokens ").containsPattern("(?m)^  serve ");
  }

  @Test
  void approveHelpSaysTheCliTrustsTheOperatorsApprover() {
    CliRunner.Result result = cli.run("runbooks", "approve", "--help");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("takes --approver at its word", "authenticated identity");
  }

  @Test
  void versionPrintsTheProgramName() {
    CliRunner.Result result = cli.run("--version");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).startsWith("rebound ");
  }

  @Test
  void noCommandIsAUsageError() {
    CliRunner.Result result = cli.run();

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).startsWith("missing command").contains("Usage: rebound");
  }

  @Test
  void groupWithoutSubcommandIsAUsageError() {
    CliRunner.Result result = cli.run("assets");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).startsWith("missing subcommand of 'rebound assets'");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRunner.Result result = cli.run("lint", "--frobnicate");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void configurationProblemsPrintOneLineEachWithoutStackTrace() {
    CliRunner bad = CliRunner.in(FIXTURES, CliRunner.offline(
        Map.of("REBOUND_HTTP_PORT", "abc", "REBOUND_ADMIN_TOKEN", "short")));

    CliRunner.Result result = bad.run("serve");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly(
        "rebound: REBOUND_HTTP_PORT: \"abc\" is not a port number (0-65535)",
        "rebound: REBOUND_ADMIN_TOKEN: too short (5 characters); use at least 16 random characters");
  }

  @Test
  void debugPrintsTheStackTrace() {
    CliRunner debug = CliRunner.in(FIXTURES, CliRunner.offline(Map.of("REBOUND_DEBUG", "1")));

    CliRunner.Result result = debug.run("assets", "impact", "nope");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("rebound: asset 'nope' not found in knowledge/assets.yaml (known: ").contains("\tat dev.rebound.");
  }

  @Test
  void globalOptionsWorkBeforeAndAfterTheCommand() {
    CliRunner.Result before = cli.run("--runbooks", "bad", "lint", "--no-status");
    CliRunner.Result after = cli.run("lint", "--no-status", "--runbooks", "bad");
    CliRunner.Result subcommandName = cli.run("--runbooks", "runbooks", "lint", "--no-status");

    assertThat(before.out()).contains("bad/wrong-type.yaml");
    assertThat(after.out()).isEqualTo(before.out());
    assertThat(subcommandName.exit()).as(subcommandName.toString()).isZero();
  }

  @Test
  void outsideTheRepositoryCommandsSayWhichDirectoryIsMissingInsteadOfWorkingOnNothing(@TempDir Path elsewhere) {
    CliRunner lost = CliRunner.in(elsewhere, CliRunner.offline());
    String expected = "rebound: no runbooks directory 'runbooks' (--runbooks) and no knowledge directory 'knowledge'"
        + " (--knowledge) in " + elsewhere.toAbsolutePath().normalize()
        + ": run rebound from the repository root, or pass --runbooks DIR and --knowledge DIR";

    // Before: an empty list with exit 0, and index would have removed every indexed document.
    for (String[] args : new String[][] {{"runbooks", "list", "--no-status"}, {"drill", "list"},
        {"index"}, {"search", "stale features"}, {"assets", "impact", "features.online"},
        {"plan", "feature-store-restore"}}) {
      CliRunner.Result result = lost.run(args);

      assertThat(result.exit()).as(String.join(" ", args) + ": " + result).isEqualTo(1);
      assertThat(result.errLines()).as(String.join(" ", args)).containsExactly(expected);
    }
    assertThat(lost.run("--runbooks", FIXTURES.resolve("runbooks").toString(),
        "--knowledge", FIXTURES.resolve("knowledge").toString(), "runbooks", "list", "--no-status").exit())
        .isZero();
  }
}
