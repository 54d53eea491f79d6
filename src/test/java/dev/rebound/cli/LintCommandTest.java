package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.FIXTURES;
import static dev.rebound.cli.CliRunner.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintCommandTest {
  private final CliRunner cli = CliRunner.in(FIXTURES, CliRunner.offline());

  @Test
  void bundledRunbooksAndKnowledgeLintClean() {
    CliRunner.Result result = CliRunner.in(REPO, CliRunner.offline()).run("lint", "--no-status");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.out()).as(result.toString()).isEmpty();
    assertThat(result.errLines()).as(result.toString()).singleElement().asString()
        .matches("\\d+ runbooks, 2 knowledge files, \\d+ incidents, 11 drill scenarios: 0 errors, 0 warnings");
  }

  @Test
  void malformedIncidentFilesAreErrors(@TempDir Path dir) throws IOException {
    dev.rebound.testing.TestFiles.copyTree(FIXTURES, dir);
    Path incidents = Files.createDirectories(dir.resolve("knowledge/incidents"));
    Files.copy(REPO.resolve("knowledge/incidents/INC-2025-014.md"), incidents.resolve("INC-2025-014.md"));
    Files.writeString(incidents.resolve("broken-yaml.md"), "---\nid: INC-B-1\nseverity: [\n---\n");
    Files.writeString(incidents.resolve("no-front-matter.md"), "# Just a heading\n");

    CliRunner.Result result = CliRunner.in(dir, CliRunner.offline()).run("lint", "--no-status");
    CliRunner.Result named = CliRunner.in(dir, CliRunner.offline()).run("lint", "--no-status", "knowledge/incidents");

    assertThat(result.exit()).as(result.toString()).isEqualTo(1);
    assertThat(result.outLines()).as(result.toString()).satisfiesExactly(
        line -> assertThat(line).matches("knowledge/incidents/broken-yaml\\.md:3:12: malformed YAML: .*"),
        line -> assertThat(line).isEqualTo("knowledge/incidents/no-front-matter.md:1:1: an incident file starts with"
            + " a line '---', then front matter (id, title, date, …), then '---'"));
    assertThat(result.errLines()).containsExactly("1 runbook, 2 knowledge files, 3 incidents: 2 errors, 0 warnings");
    assertThat(named.exit()).isEqualTo(1);
    assertThat(named.outLines()).isEqualTo(result.outLines());
    assertThat(named.errLines()).containsExactly("0 runbooks, 0 knowledge files, 3 incidents: 2 errors, 0 warnings");
  }

  /** A file saved in Latin-1: lint names the first byte that is not UTF-8, where it is. */
  @Test
  void aRunbookOrIncidentThatIsNotUtf8IsAnErrorAtItsFirstBadByte(@TempDir Path dir) throws IOException {
    dev.rebound.testing.TestFiles.copyTree(FIXTURES, dir);
    Path runbook = dir.resolve("runbooks/restart-shop.yaml");
    Files.write(runbook, Files.readString(runbook).replace("title: Restart the shop API", "title: Redémarrer l'API")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Path incidents = Files.createDirectories(dir.resolve("knowledge/incidents"));
    Files.write(incidents.resolve("INC-L-1.md"), "---\nid: INC-L-1\ntitle: Caf\u00e9 down\n---\n"
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    CliRunner.Result result = CliRunner.in(dir, CliRunner.offline()).run("lint", "--no-status");

    assertThat(result.exit()).as(result.toString()).isEqualTo(1);
    assertThat(result.outLines()).as(result.toString()).containsExactly(
        "knowledge/incidents/INC-L-1.md:3:11: not UTF-8: byte 0xE9 cannot start or continue a UTF-8 character;"
            + " save the file as UTF-8",
        "runbooks/restart-shop.yaml:3:11: not UTF-8: byte 0xE9 cannot start or continue a UTF-8 character;"
            + " save the file as UTF-8");
  }

  /** The incident sync keeps only the first file with an id; lint says so, where the second sets it. */
  @Test
  void twoIncidentFilesWithOneIdAreAnErrorAtTheSecondOnesId(@TempDir Path dir) throws IOException {
    dev.rebound.testing.TestFiles.copyTree(FIXTURES, dir);
    Path incidents = Files.createDirectories(dir.resolve("knowledge/incidents"));
    Files.copy(REPO.resolve("knowledge/incidents/INC-2025-014.md"), incidents.resolve("INC-2025-014.md"));
    Files.writeString(incidents.resolve("stale-features-again.md"), "---\n# copied from INC-2025-014\nid: INC-2025-014\n"
        + "title: Online features stale again\ndate: 2025-07-01T10:00:00Z\nseverity: sev3\nstatus: resolved\n---\n");

    CliRunner.Result result = CliRunner.in(dir, CliRunner.offline()).run("lint", "--no-status");
    CliRunner.Result named = CliRunner.in(dir, CliRunner.offline()).run("lint", "--no-status",
        "knowledge/incidents/INC-2025-014.md", "knowledge/incidents/stale-features-again.md");

    assertThat(result.exit()).as(result.toString()).isEqualTo(1);
    assertThat(result.outLines()).as(result.toString()).containsExactly("knowledge/incidents/stale-features-again.md:3:5:"
        + " incident id 'INC-2025-014' is already the id of knowledge/incidents/INC-2025-014.md: the incident sync"
        + " skips this file");
    assertThat(result.errLines()).containsExactly("1 runbook, 2 knowledge files, 2 incidents: 1 error, 0 warnings");
    assertThat(named.exit()).isEqualTo(1);
    assertThat(named.outLines()).isEqualTo(result.outLines());
  }

  /** Markdown outside incidents/ (a knowledge doc) is neither read as an incident nor as a runbook. */
  @Test
  void aKnowledgeDocIsNotCheckedAndSaysSo(@TempDir Path dir) throws IOException {
    dev.rebound.testing.TestFiles.copyTree(FIXTURES, dir);
    Path docs = Files.createDirectories(dir.resolve("knowledge/docs"));
    Files.writeString(docs.resolve("oncall.md"), "# On call\n\nWho: the platform team: page them.\n");

    CliRunner.Result result = CliRunner.in(dir, CliRunner.offline()).run("lint", "--no-status", "knowledge/docs/oncall.md");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.outLines()).singleElement().asString()
        .startsWith("knowledge/docs/oncall.md:1:1: warning: not checked: lint takes runbooks (.yaml)");
    assertThat(result.errLines()).containsExactly("0 runbooks, 0 knowledge files: 0 errors, 1 warning");
  }

  @Test
  void badRunbooksPrintExactlyOneLinePerFinding() {
    CliRunner.Result result = cli.run("lint", "--no-status", "bad");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.outLines()).containsExactly(
        "bad/malformed.yaml:4:1: malformed YAML: expected ',' or ']', but got <stream end>",
        "bad/unknown-asset.yaml:6:10: unknown asset 'svc.nope' (not in knowledge/assets.yaml)",
        "bad/unknown-asset.yaml:12:14: warning: step 'look': retries a step that is not idempotent;"
            + " a retry may repeat its effect",
        "bad/unknown-key.yaml:11:5: steps[0]: unknown key 'retry' (allowed: id, title, description, risk,"
            + " action, verify, rollback, reversible, idempotent, timeout, retries, targets)",
        "bad/warning-only.yaml:1:1: warning: no validation checks: a run cannot show that anything recovered",
        "bad/wrong-type.yaml:2:10: version: must be an integer (got \"three\")");
    assertThat(result.errLines()).containsExactly("5 runbooks, 0 knowledge files: 4 errors, 2 warnings");
  }

  @Test
  void warningsDoNotFail() {
    CliRunner.Result result = cli.run("lint", "--no-status", "bad/warning-only.yaml");

    assertThat(result.exit()).isZero();
    assertThat(result.outLines()).containsExactly(
        "bad/warning-only.yaml:1:1: warning: no validation checks: a run cannot show that anything recovered");
    assertThat(result.errLines()).containsExactly("1 runbook, 0 knowledge files: 0 errors, 1 warning");
  }

  @Test
  void missingFileIsOneLine() {
    CliRunner.Result result = cli.run("lint", "--no-status", "nope.yaml");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.outLines()).containsExactly("nope.yaml:1:1: file not found");
  }

  @Test
  void missingDirectoriesAreOneLineEach() {
    CliRunner.Result result = cli.run("--runbooks", "nowhere", "--knowledge", "nowhere", "lint", "--no-status");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.outLines()).containsExactly(
        "nowhere:1:1: runbooks directory not found",
        "nowhere/assets.yaml:1:1: file not found",
        "nowhere/team.yaml:1:1: file not found");
  }

  @Test
  void brokenKnowledgeFilesAreReportedWithoutFollowOnRunbookErrors() {
    CliRunner.Result result = cli.run("--knowledge", "bad-knowledge", "lint", "--no-status");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.outLines()).containsExactly(
        "bad-knowledge/assets.yaml:9:5: asset 'db.orders': unknown key 'color' (allowed: id, name, kind, owner,"
            + " description, tier, rto, rpo, depends_on, lineage, recovery_runbooks)",
        "bad-knowledge/team.yaml:12:24: person 'cy': unknown role 'boss' (expected one of: viewer, responder,"
            + " approver, admin)");
    assertThat(result.errLines()).containsExactly("1 runbook, 2 knowledge files: 2 errors, 0 warnings");
  }

  @Test
  void knowledgeFilesCanBeNamedOneByOne() {
    CliRunner.Result result = cli.run("lint", "--no-status", "bad-knowledge/team.yaml", "knowledge/assets.yaml");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.outLines()).singleElement().asString().startsWith("bad-knowledge/team.yaml:12:24: ");
    assertThat(result.errLines()).containsExactly("0 runbooks, 2 knowledge files: 1 error, 0 warnings");
  }

  @Test
  void directoryWithKnowledgeFilesIsLintedAsKnowledge() {
    CliRunner.Result result = cli.run("lint", "--no-status", "bad-knowledge");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.outLines()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("bad-knowledge/"));
    assertThat(result.errLines()).containsExactly("0 runbooks, 2 knowledge files: 2 errors, 0 warnings");
  }

  @Test
  void filesAreNamedRelativeToTheWorkingDirectoryOrAbsoluteOutsideIt(@TempDir Path outside) throws IOException {
    Path copy = Files.copy(FIXTURES.resolve("bad/wrong-type.yaml"), outside.resolve("wrong-type.yaml"));

    CliRunner.Result inside = cli.run("lint", "--no-status", "./bad/../bad/wrong-type.yaml");
    CliRunner.Result absolute = cli.run("lint", "--no-status", copy.toString());

    assertThat(inside.outLines()).containsExactly("bad/wrong-type.yaml:2:10: version: must be an integer (got \"three\")");
    assertThat(absolute.outLines()).containsExactly(copy + ":2:10: version: must be an integer (got \"three\")");
  }

  @Test
  void unreachableDatabaseIsReportedOnceAndDoesNotFailLint() {
    CliRunner.Result result = cli.run("lint");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.errLines()).hasSize(2);
    assertThat(result.errLines().get(0)).startsWith("approval state unknown: database unreachable (");
    assertThat(result.errLines().get(1)).isEqualTo("1 runbook, 2 knowledge files: 0 errors, 0 warnings");
  }

  @Test
  void noStatusDoesNotAskTheDatabase() {
    CliRunner.Result result = cli.run("lint", "--no-status");

    assertThat(result.exit()).isZero();
    assertThat(result.err()).doesNotContain("approval state");
  }
}
