package dev.rebound.app;

import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.AuditLog;
import dev.rebound.audit.PendingEntry;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.Knowledge;
import dev.rebound.inventory.Person;
import dev.rebound.inventory.Role;
import dev.rebound.runbook.HashPrefixes;
import dev.rebound.runbook.LintFinding;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookLinter;
import dev.rebound.inventory.LoadResult;
import dev.rebound.runbook.RunbookCatalog;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Approves a runbook version: pins the content hash of the file as it is now. The rules, in the
 * order they are checked: the runbook exists; its content is the one the approver reviewed, when
 * they name its hash; it is at exactly that version; it lints without errors; the
 * approver is a person in team.yaml with the approver or admin role; the approver is not the
 * author (four eyes). A new approval and its {@code runbook.approved} audit entry commit together;
 * approving the same content again records nothing, so it adds no entry either.
 */
public final class RunbookApprovals {
  private final Pool pool;
  private final RunbookApprovalStore store;
  private final AuditLog audit;

  public RunbookApprovals(Pool pool, AuditLog audit) {
    this.pool = pool;
    this.store = new RunbookApprovalStore(pool);
    this.audit = audit;
  }

  /** Returns the approved runbook; fails with a {@code dev.rebound.error} exception saying why not. */
  public Future<Runbook> approve(
      Workspace workspace,
      RunbookCatalog catalog,
      Knowledge knowledge,
      String runbookId,
      int version,
      Optional<String> reviewedHash,
      String approverId,
      String comment) {
    Runbook runbook =
        catalog.get(runbookId).orElseThrow(() -> new NotFoundException("runbook '" + runbookId + "' not found"));
    reviewedHash.ifPresent(reviewed -> requireUnchanged(runbook, reviewed));
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
    AuditEvent event = approvedEvent(runbook, approverId, comment);
    return pool
        .withTransaction(tx -> store
            .record(tx, runbook.id(), runbook.version(), runbook.contentHash(), approverId, comment)
            .compose(isNew -> isNew ? audit.append(tx, event).map(List::of)
                : Future.<List<PendingEntry>>succeededFuture(List.of())))
        // Sealed before answering: the CLI may exit right after, and a reader then sees it chained.
        .compose(audit::sealed)
        .map(runbook);
  }

  /**
   * The approver reviewed {@code reviewedHash}; approving anything else would pin content nobody
   * saw (the version alone misses an edit that did not bump it).
   */
  private static void requireUnchanged(Runbook runbook, String reviewedHash) {
    if (!runbook.contentHash().equals(reviewedHash)) {
      throw new ConflictException("runbook '" + runbook.id() + "' changed since you reviewed it (content hash "
          + HashPrefixes.against(runbook.contentHash(), reviewedHash) + ", not "
          + HashPrefixes.against(reviewedHash, runbook.contentHash()) + "): review it again");
    }
  }

  private static AuditEvent approvedEvent(Runbook runbook, String approverId, String comment) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("version", runbook.version());
    details.put("content_hash", runbook.contentHash());
    details.put("author", runbook.author());
    if (comment != null && !comment.isBlank()) {
      details.put("comment", comment);
    }
    return AuditEvent.of(ActorType.HUMAN, approverId, "runbook.approved", "runbook",
            runbook.id() + "@v" + runbook.version())
        .withDetails(details);
  }
}
