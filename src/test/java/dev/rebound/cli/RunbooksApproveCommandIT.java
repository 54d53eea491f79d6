package dev.rebound.cli;

import dev.rebound.testing.TestFiles;
import static dev.rebound.cli.CliRunner.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.inventory.Person;
import dev.rebound.inventory.Role;
import dev.rebound.inventory.TeamDirectory;
import dev.rebound.inventory.TeamLoader;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookLoader;
import dev.rebound.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approval through the CLI on a temporary copy of the bundled runbooks and knowledge (so edits
 * stay in the copy), with the repository's rebound.yaml. Who is author and who may approve is
 * read from the copy, not assumed.
 */
class RunbooksApproveCommandIT {
  private static final String ID = "feature-store-restore";

  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  @TempDir Path temp;
  private CliRunner cli;
  private Path file;
  private Runbook runbook;
  private TeamDirectory team;

  @BeforeEach
  void copyContent() throws IOException {
    TestFiles.copyTree(REPO.resolve("runbooks"), temp.resolve("runbooks"));
    TestFiles.copyTree(REPO.resolve("knowledge"), temp.resolve("knowledge"));
    file = temp.resolve("runbooks/" + ID + ".yaml");
    runbook = new RunbookLoader().load(file).orElseThrow();
    team = TeamLoader.load(temp.resolve("knowledge/team.yaml")).orElseThrow();
    cli = CliRunner.in(REPO, Map.of("DATABASE_URL", db.urlText()));
  }

  @Test
  void approvalShowsInLintPlanAndListUntilTheFileChanges() throws IOException {
    String approver = approverOtherThan(runbook.author());
    String approved = ID + " v" + runbook.version() + ": approved by " + approver + ", active in production";

    CliRunner.Result byAuthor = run("runbooks", "approve", ID + "@" + runbook.version(), "--approver", runbook.author());
    CliRunner.Result byOther = run("runbooks", "approve", ID + "@" + runbook.version(), "--approver", approver,
        "--comment", "reviewed with the feature team");

    assertThat(byAuthor.exit()).as(byAuthor.toString()).isEqualTo(1);
    assertThat(byAuthor.errLines()).containsExactly(
        "rebound: '" + runbook.author() + "' wrote " + ID + " and cannot approve it: someone else must");
    assertThat(byOther.exit()).as(byOther.toString()).isZero();
    assertThat(byOther.outLines()).containsExactly("approved " + ID + " v" + runbook.version()
        + " (sha256 " + runbook.contentHash().substring(0, 8) + "…) by " + approver);

    CliRunner.Result lint = run("lint");
    CliRunner.Result plan = run("plan", ID, "--param", "snapshot_id=snap-0a1b2c3d");
    CliRunner.Result list = run("runbooks", "list");
    assertThat(lint.exit()).as(lint.toString()).isZero();
    assertThat(lint.outLines()).contains(approved);
    assertThat(plan.outLines().get(0)).isEqualTo(approved);
    assertThat(list.outLines()).anySatisfy(line -> assertThat(line).startsWith(ID).contains("approved (" + approver + ")"));

    // Comments and formatting are not content: the approval stands.
    Files.writeString(file, "# reviewed\n" + Files.readString(file));
    assertThat(run("lint").outLines()).contains(approved);

    Files.writeString(file, Files.readString(file).replaceFirst("(?m)^title: (.*)$", "title: $1 (edited)"));
    String changed = ID + " v" + runbook.version() + ": NOT APPROVED: the file changed after version "
        + runbook.version() + " was approved, active in production";
    assertThat(run("lint").outLines()).contains(changed);
    assertThat(run("plan", ID, "--param", "snapshot_id=snap-0a1b2c3d").outLines().get(0)).isEqualTo(changed);
    assertThat(run("runbooks", "list").outLines())
        .anySatisfy(line -> assertThat(line).startsWith(ID).contains("NOT APPROVED (file changed)"));
  }

  @Test
  void anApprovalIsAnAuditEntryAndApprovingTheSameContentAgainAddsNone() throws IOException {
    String approver = approverOtherThan(runbook.author());
    String ref = ID + "@" + runbook.version();

    assertThat(run("runbooks", "approve", ref, "--approver", approver, "--comment", "reviewed").exit()).isZero();
    assertThat(run("runbooks", "approve", ref, "--approver", approver).exit()).isZero();
    CliRunner.Result verify = run("audit", "verify");
    Path export = temp.resolve("audit.jsonl");
    CliRunner.Result exported = run("audit", "export", "--out", export.toString());

    assertThat(verify.exit()).as(verify.toString()).isZero();
    assertThat(verify.out()).contains("audit chain intact: 1 entry");
    assertThat(exported.exit()).as(exported.toString()).isZero();
    assertThat(Files.readAllLines(export)).hasSize(2).last().asString()
        .contains("\"action\":\"runbook.approved\"", "\"actor_id\":\"" + approver + "\"",
            "\"subject_id\":\"" + ID + "@v" + runbook.version() + "\"", runbook.contentHash(), "\"reviewed\"");
  }

  @Test
  void theContentHashPlanShowedPinsTheReviewedContent() throws IOException {
    String approver = approverOtherThan(runbook.author());
    String ref = ID + "@" + runbook.version();
    String reviewed = planHash();
    // Edited after the review, without a version bump (unlike the other tests' edits: the class shares
    // one database, and the approval at the end must not approve their content).
    Files.writeString(file, Files.readString(file).replaceFirst("(?m)^title: (.*)$", "title: $1 (changed after review)"));

    CliRunner.Result stale = run("runbooks", "approve", ref, "--approver", approver, "--content-hash", reviewed);

    assertThat(stale.exit()).as(stale.toString()).isEqualTo(1);
    assertThat(stale.out()).isEmpty();
    assertThat(stale.errLines()).singleElement().asString()
        .startsWith("rebound: runbook '" + ID + "' changed since you reviewed it (content hash ")
        .contains(", not " + reviewed.substring(0, 12))
        .endsWith("): review it again");
    // Nothing stored: the edited content is not approved (by this or any earlier test of the class).
    assertThat(run("runbooks", "list").outLines())
        .anySatisfy(line -> assertThat(line).startsWith(ID).contains("NOT APPROVED"));

    String current = planHash();
    CliRunner.Result fresh = run("runbooks", "approve", ref, "--approver", approver, "--content-hash", current);

    assertThat(fresh.exit()).as(fresh.toString()).isZero();
    assertThat(fresh.outLines()).containsExactly("approved " + ID + " v" + runbook.version()
        + " (sha256 " + current.substring(0, 8) + "…) by " + approver);
  }

  @Test
  void aContentHashThatIsNotAWholeSha256IsAUsageError() {
    CliRunner.Result result = run("runbooks", "approve", ID + "@" + runbook.version(), "--approver",
        approverOtherThan(runbook.author()), "--content-hash", runbook.contentHash().substring(0, 8));

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.errLines()).first().asString().isEqualTo("--content-hash expects the 64 lower-case"
        + " hex characters of the runbook's content sha256, as rebound plan shows it, got '"
        + runbook.contentHash().substring(0, 8) + "'");
  }

  @Test
  void anotherVersionThanTheOneOnDiskIsRefused() {
    int other = runbook.version() + 1;

    CliRunner.Result result = run("runbooks", "approve", ID + "@" + other, "--approver", approverOtherThan(runbook.author()));

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly(
        "rebound: runbook '" + ID + "' is at version " + runbook.version() + " on disk, not " + other);
  }

  @Test
  void approverWithoutTheApproverRoleIsRefused() {
    String responder = team.people().stream().filter(p -> !p.has(Role.APPROVER)).findFirst().orElseThrow().id();

    CliRunner.Result result = run("runbooks", "approve", ID + "@" + runbook.version(), "--approver", responder);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly("rebound: '" + responder + "' does not have the approver role");
  }

  @Test
  void runbookWithLintErrorsIsRefused() throws IOException {
    Files.writeString(file, Files.readString(file).replaceFirst("(?m)^assets: \\[.*]$", "assets: [features.nope]"));

    CliRunner.Result result = run("runbooks", "approve", ID + "@" + runbook.version(), "--approver",
        approverOtherThan(runbook.author()));

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.errLines()).singleElement().asString()
        .startsWith("rebound: cannot approve a runbook with lint errors: ")
        .endsWith("unknown asset 'features.nope' (not in knowledge/assets.yaml)");
  }

  private CliRunner.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(
        "--runbooks", temp.resolve("runbooks").toString(), "--knowledge", temp.resolve("knowledge").toString()));
    all.addAll(List.of(args));
    return cli.run(all.toArray(String[]::new));
  }

  /** The content hash as {@code rebound plan} shows it to the reviewer. */
  private String planHash() {
    CliRunner.Result plan = run("plan", ID, "--param", "snapshot_id=snap-0a1b2c3d", "--no-status");
    assertThat(plan.exit()).as(plan.toString()).isZero();
    return plan.outLines().stream().filter(line -> line.startsWith("content sha256: ")).findFirst().orElseThrow()
        .substring("content sha256: ".length());
  }

  private String approverOtherThan(String author) {
    return team.people().stream()
        .filter(p -> p.has(Role.APPROVER) && !p.id().equals(author))
        .map(Person::id)
        .findFirst()
        .orElseThrow();
  }

}
