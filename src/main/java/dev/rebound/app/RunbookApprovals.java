package dev.rebound.app;

import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.Knowledge;
import dev.rebound.inventory.Person;
import dev.rebound.inventory.Role;
import dev.rebound.runbook.LintFinding;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookLinter;
import dev.rebound.inventory.LoadResult;
import dev.rebound.runbook.RunbookCatalog;
import io.vertx.core.Future;
import java.util.List;

/**
 * Approves a runbook version: pins the content hash of the file as it is now. The rules, in the
 * order they are checked: the runbook exists at exactly that version; it lints without errors; the
 * approver is a person in team.yaml with the approver or admin role; the approver is not the
 * author (four eyes).
 */
public final class RunbookApprovals {
  private final RunbookApprovalStore store;

  public RunbookApprovals(RunbookApprovalStore store) {
    this.store = store;
  }

  /** Returns the approved runbook; fails with a {@code dev.rebound.error} exception saying why not. */
  public Future<Runbook> approve(
      Workspace workspace,
      RunbookCatalog catalog,
      Knowledge knowledge,
      String runbookId,
      int version,
      String approverId,
      String comment) {
    Runbook runbook =
        catalog.get(runbookId).orElseThrow(() -> new NotFoundException("runbook '" + runbookId + "' not found"));
    if (runbook.version() != version) {
      throw new ConflictException(
          "runbook '" + runbookId + "' is at version " + runbook.version() + " on disk, not " + version);
    }
    List<LintFinding> errors =
        new RunbookLinter().lint(runbook, workspace.lintContext(catalog, LoadResult.ok(knowledge))).stream()
            .filter(LintFinding::isError)
            .toList();
    if (!errors.isEmpty()) {
      throw new ValidationException(
          errors.stream().map(f -> "cannot approve a runbook with lint errors: " + f.problem()).toList());
    }
    Person approver =
        knowledge.team().person(approverId)
            .orElseThrow(() -> new ForbiddenException("'" + approverId + "' is not a person in team.yaml"));
    if (!approver.has(Role.APPROVER)) {
      throw new ForbiddenException("'" + approverId + "' does not have the approver role");
    }
    if (approverId.equals(runbook.author())) {
      throw new ForbiddenException(
          "'" + approverId + "' wrote " + runbookId + " and cannot approve it: someone else must");
    }
    return store
        .record(runbook.id(), runbook.version(), runbook.contentHash(), approverId, comment)
        .map(runbook);
  }
}
