package dev.rebound.cli;

import dev.rebound.app.RunbookApprovals;
import dev.rebound.app.Workspace;
import dev.rebound.audit.Masker;
import dev.rebound.inventory.Knowledge;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code rebound runbooks approve ID@VERSION --approver PERSON [--content-hash HASH] [--comment TEXT]}. */
@Command(
    name = "approve",
    description = {
      "Approve a runbook version (four eyes).",
      "%nRecords the sha256 of the runbook's content as it is on disk now; any later change to the"
          + " file voids the approval, even without a version bump. Refused (exit 1) when the version on"
          + " disk is another, the runbook has lint errors, the approver is not in team.yaml with the"
          + " approver or admin role, or is its author.",
      "%nWith --content-hash (the 'content sha256' that rebound plan printed for the review), also"
          + " refused when the file's content is no longer the reviewed one.",
      "%nTrust: the CLI takes --approver at its word, so whoever can run this command against the"
          + " database can approve as anyone: restrict access to the database. The HTTP API records"
          + " the authenticated identity instead."
    })
final class RunbooksApproveCommand extends CliCommand {
  private static final Pattern REF = Pattern.compile("([a-z0-9][a-z0-9-]*)@v?([0-9]{1,9})");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Parameters(index = "0", paramLabel = "ID@VERSION", description = "e.g. feature-store-restore@1")
  String ref;

  @Option(names = "--approver", required = true, paramLabel = "PERSON", description = "Person id from team.yaml.")
  String approver;

  @Option(names = "--content-hash", paramLabel = "HASH",
      description = "The content sha256 you reviewed, as rebound plan shows it: approve only that content.")
  String contentHash;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why, or what was reviewed.")
  String comment;

  @Override
  int run(CliContext context) {
    Matcher m = REF.matcher(ref);
    if (!m.matches()) {
      throw new ParameterException(spec.commandLine(), "expected ID@VERSION (e.g. feature-store-restore@1), got '" + ref + "'");
    }
    String id = m.group(1);
    int version = Integer.parseInt(m.group(2));
    if (contentHash != null && !SHA256_HEX.matcher(contentHash).matches()) {
      throw new ParameterException(spec.commandLine(), "--content-hash expects the 64 lower-case hex characters"
          + " of the runbook's content sha256, as rebound plan shows it, got '" + contentHash + "'");
    }
    Workspace workspace = context.workspace();
    RunbookCatalog catalog = workspace.loadRunbooks();
    RunbookFiles.byId(context, catalog, id); // a file that does not load fails with its problems
    // Likely ids of unloadable files count as known: another runbook's broken file must not
    // turn assets.yaml's reference to it into an error that blocks this approval.
    Knowledge knowledge = workspace.loadKnowledge(RunbookFiles.knownIds(catalog)).orElseThrow();
    try (Db db = context.openDb(TIMEOUT)) {
      db.migrate();
      RunbookApprovals approvals = new RunbookApprovals(db.pool(),
          db.auditLog(Masker.of(context.config().secretValues())));
      Runbook approved = db.await(approvals.approve(workspace, catalog, knowledge, id, version,
          Optional.ofNullable(contentHash), approver, comment));
      context.out().println("approved " + approved.id() + " v" + approved.version()
          + " (sha256 " + approved.contentHash().substring(0, 8) + "…) by " + approver);
    }
    return OK;
  }
}
