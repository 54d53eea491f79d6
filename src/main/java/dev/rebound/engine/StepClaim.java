package dev.rebound.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.inventory.Role;
import dev.rebound.runbook.HashPrefixes;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The claim of an approved step, and the re-checks at the moment of execution.
 *
 * <p>The claim is one transaction: the atomic {@code approved → running} UPDATE, then, on the
 * locked row, the re-checks (the runbook file's content hash now equals the run's; the action
 * rendered now has the approved hash; same targets; enough approvals, unexpired, unused, binding
 * all of that, each by someone team.yaml as read now still lets approve the step's risk), then
 * the approvals are marked used, the undo is recorded, {@code step.started} is audited, and it
 * commits. Only then does the action run. If anything differs, the same
 * transaction puts the step back to awaiting approval with the new rendering, voids the
 * approvals and audits {@code approval.invalidated} with what changed. The claim runs in a
 * transaction of its own (the poller's path, {@link #claim}) or inside the transaction of the
 * approval that completes the step's approvals ({@link #claimApproving}, which makes the same
 * re-checks on the rows that transaction locked, or {@link #claimIn}); either way it commits
 * before the action starts.
 */
final class StepClaim {
  private final Core core;

  StepClaim(Core core) {
    this.core = core;
  }

  /**
   * What the claim compares: the runbook file as read (on a worker) during the claim's request,
   * and the step rendered from it (pure CPU, on the event loop).
   */
  record Fresh(RunRecord run, Optional<Runbook> runbook, Optional<Step> step,
      Optional<StepRenderer.Rendered> action, Optional<StepRenderer.Rendered> undo, Optional<JsonNode> undoPlan,
      Optional<String> renderError, List<StepRecord> steps) {

    /** Whether the step has checks to run after its action (its verify, the runbook's invariants). */
    boolean checksAfterAction() {
      return step.map(s -> !s.verify().isEmpty()).orElse(true)
          || runbook.map(r -> !r.invariants().isEmpty()).orElse(true);
    }
  }

  record Claimed(StepRecord row, Fresh fresh, List<String> approvers) {}

  /** The run and its steps as stored, and the step rendered from the runbook file as it is now. */
  Future<Optional<Fresh>> fresh(String runId, String stepId) {
    // The runbook file (when the run's runbook id is known here) and the two rows are read at once.
    var early = core.runbookReads.start(runId);
    var run = core.store.run(runId);
    var steps = core.store.steps(runId);
    return Future.all(run, steps).compose(both -> run.result().isEmpty()
        ? Future.succeededFuture(Optional.empty())
        : core.runbookReads.of(run.result().get(), early)
            .map(runbook -> Optional.of(render(run.result().get(), steps.result(), stepId, runbook))));
  }

  /**
   * The step's action and undo rendered from {@code runbook} (the file as read now). Pure CPU: the
   * renderer reads nothing but its arguments, so this runs on the event loop.
   */
  Fresh render(RunRecord run, List<StepRecord> steps, String stepId, Optional<Runbook> runbook) {
    Optional<Step> step = runbook.flatMap(r -> r.step(stepId));
    if (step.isEmpty()) {
      return new Fresh(run, runbook, step, Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.of("the runbook file no longer has this step"), steps);
    }
    Map<String, JsonNode> params = Core.params(run);
    Map<String, JsonNode> outputs = Core.outputs(steps);
    outputs.remove(stepId);
    try {
      StepRenderer.Rendered action = core.renderer.action(step.get(), params, outputs);
      Optional<StepRenderer.Rendered> undo = Optional.empty();
      Optional<JsonNode> plan = Optional.empty();
      if (step.get().rollback().isPresent()) {
        try {
          undo = Optional.of(core.renderer.undo(step.get(), step.get().rollback().get(), params, outputs));
        } catch (RuntimeException e) {
          // The undo uses this step's own output: recorded now as a plan, rendered once it exists.
          plan = Optional.of(core.renderer.masker().mask(core.renderer.renderer(params, outputs)
              .renderForPlan(step.get().rollback().get().raw())));
        }
      }
      return new Fresh(run, runbook, step, Optional.of(action), undo, plan, Optional.empty(), steps);
    } catch (RuntimeException e) {
      return new Fresh(run, runbook, step, Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.of(e.getMessage()), steps);
    }
  }

  /**
   * Claims the step if it is still approved and everything its approvals bound still holds, in a
   * transaction of its own. Round trips: BEGIN with the run's lock (taken first: the engine's lock
   * order); the claim with the open approvals of the claimed attempt; the writes with the audit
   * entry and COMMIT.
   */
  Future<Optional<Claimed>> claim(Fresh fresh, String stepId) {
    return core.store.inTransaction(tx -> {
      tx.lockRunBeforeSteps(fresh.run().id());
      return claimIn(tx, fresh.run().id(), Future.succeededFuture(fresh), stepId);
    });
  }

  /**
   * The claim inside {@code tx}, which may already hold the step's last approval (see {@link
   * ApprovalDesk}): one round trip for the atomic claim and the open approvals of the claimed
   * attempt, then the writes (or the invalidation), not awaited: they commit with {@code tx}.
   * The claim's statements go out at once, while {@code fresh} may still be reading the runbook
   * file or rendering: nothing is decided, and nothing more written, before both are in.
   */
  Future<Optional<Claimed>> claimIn(RunTx tx, String runId, Future<Fresh> fresh, String stepId) {
    var claimed = tx.claimApproved(runId, stepId, core.settings.ownerId(), core.settings.lease());
    var approvals = tx.openApprovalsOfCurrentAttempt(runId, stepId);
    return Future.all(claimed, approvals, fresh).map(all -> {
      if (claimed.result().isEmpty()) {
        return Optional.<Claimed>empty();
      }
      StepRecord row = claimed.result().get();
      List<String> changes = changes(fresh.result(), row, approvals.result());
      if (!changes.isEmpty()) {
        invalidate(tx, fresh.result(), row, changes);
        return Optional.<Claimed>empty();
      }
      return Optional.of(start(tx, fresh.result(), row, approvals.result()));
    });
  }

  /**
   * The claim decided in the transaction of the approval that completes the step's approvals,
   * from what that transaction read and locked: the step (awaiting approval at {@code awaiting}'s
   * attempt) and its open approvals, to which the new one is added. Nothing else can change them
   * before it commits, so the re-checks are made on them in Java, exactly as {@link #claimIn}
   * makes them on the rows its claim returns, and when nothing changed the claim, the use of the
   * approvals, the undo and {@code step.started} go out in the approval's own flight, each
   * statement checking in the database (V21's {@code rebound_require}) that it found what was
   * decided on, so the transaction commits all of it or nothing. Empty when something changed:
   * the caller then records the approval and claims as {@link #claimIn} does, which invalidates.
   *
   * @param approvals the step's live approvals for the next attempt, the new one included
   */
  Optional<Future<Claimed>> claimApproving(RunTx tx, Fresh fresh, StepRecord awaiting,
      List<ApprovalRecord> approvals) {
    if (!changes(fresh, awaiting, approvals).isEmpty()) {
      return Optional.empty();
    }
    RunRecord run = fresh.run();
    int attempt = awaiting.attempt() + 1;
    List<String> approvers = approvers(approvals, core.now());
    tx.record(started(fresh, awaiting, attempt, approvers));
    var claimed = tx.claimAwaitingApproval(run.id(), awaiting.stepId(), awaiting.attempt(), core.settings.ownerId(),
        core.settings.lease(), startColumns(fresh));
    tx.markUsedBy(run.id(), awaiting.stepId(), attempt, approvers, core.now());
    return Optional.of(claimed.map(row -> new Claimed(row, fresh, approvers)));
  }

  /** Uses the approvals, records the undo, audits {@code step.started}; writes not awaited (the commit is). */
  private Claimed start(RunTx tx, Fresh fresh, StepRecord row, List<ApprovalRecord> approvals) {
    RunRecord run = fresh.run();
    Instant now = core.now();
    List<ApprovalRecord> valid = approvals.stream().filter(a -> !a.expiredAt(now)).toList();
    List<String> approvers = approvers(approvals, now);
    tx.record(started(fresh, row, row.attempt(), approvers));
    tx.markUsed(valid.stream().map(ApprovalRecord::id).toList(), now);
    tx.updateStep(run.id(), row.stepId(), startColumns(fresh));
    tx.updateRun(run.id(), Columns.set().nul("waiting_for"));
    return new Claimed(row, fresh, approvers);
  }

  private static List<String> approvers(List<ApprovalRecord> approvals, Instant now) {
    return approvals.stream().filter(a -> !a.expiredAt(now)).map(ApprovalRecord::approver).distinct().toList();
  }

  private AuditEvent started(Fresh fresh, StepRecord row, int attempt, List<String> approvers) {
    return Events.step(core.system, "step.started", fresh.run(), row.stepId(), Events.details(
        "attempt", attempt, "action_hash", row.actionHash().orElse(null),
        "content_hash", fresh.run().contentHash(), "targets", row.targets(), "approved_by", approvers,
        "idempotency_key", row.idempotencyKey(),
        "undo", fresh.undo().map(StepRenderer.Rendered::display).or(fresh::undoPlan).orElse(null)));
  }

  /** What a started attempt sets on its step besides the claim: nothing of an earlier try, the undo recorded. */
  private static Columns startColumns(Fresh fresh) {
    Columns set = Columns.set().put("action_done", false).nul("output").nul("summary").nul("error")
        .nul("finished_at");
    if (fresh.undo().isPresent()) {
      set.put("undo", fresh.undo().get().display()).put("undo_hash", fresh.undo().get().hash())
          .put("undo_state", "recorded");
    } else if (fresh.undoPlan().isPresent()) {
      set.put("undo", fresh.undoPlan().get()).nul("undo_hash").put("undo_state", "recorded");
    }
    return set;
  }

  /** What no longer matches what the approvals bound; empty when the step may run. */
  private List<String> changes(Fresh fresh, StepRecord row, List<ApprovalRecord> approvals) {
    RunRecord run = fresh.run();
    List<String> changes = new ArrayList<>();
    if (run.state() != RunState.PROPOSED && run.state() != RunState.RUNNING) {
      changes.add("the run is " + run.state().dbName());
    }
    if (fresh.runbook().isEmpty()) {
      changes.add("the runbook file is missing or no longer loads");
    } else if (!fresh.runbook().get().contentHash().equals(run.contentHash())) {
      String now = fresh.runbook().get().contentHash();
      changes.add("the runbook file changed: content hash " + HashPrefixes.against(now, run.contentHash())
          + " instead of " + HashPrefixes.against(run.contentHash(), now));
    }
    fresh.renderError().ifPresent(e -> changes.add("the action cannot be rendered: " + e));
    fresh.action().ifPresent(a -> {
      if (!Optional.of(a.hash()).equals(row.actionHash())) {
        changes.add("the rendered action changed: hash " + HashPrefixes.against(a.hash(), row.actionHash().orElse(""))
            + " instead of the approved " + row.actionHash().map(h -> HashPrefixes.against(h, a.hash())).orElse("none"));
      }
    });
    fresh.step().ifPresent(s -> {
      if (!s.targets().equals(row.targets())) {
        changes.add("the targets changed: " + s.targets() + " instead of " + row.targets());
      }
    });
    Instant now = core.now();
    List<String> valid = new ArrayList<>();
    for (ApprovalRecord a : approvals) {
      if (a.expiredAt(now)) {
        changes.add("the approval by " + a.approver() + " expired at " + a.expiresAt());
      } else if (!a.contentHash().equals(run.contentHash()) || !Optional.of(a.actionHash()).equals(row.actionHash())
          || !a.targets().equals(row.targets())) {
        changes.add("the approval by " + a.approver() + " was given for something else");
      } else if (fresh.step().isPresent() && !stillMayApprove(a, fresh.step().get())) {
        changes.add("the approval by " + a.approver() + " no longer counts: " + a.approver() + " may no longer approve "
            + row.risk() + "-risk steps (team.yaml)");
      } else if (!valid.contains(a.approver())) {
        valid.add(a.approver());
      }
    }
    boolean drill = run.kind() == RunKind.DRILL
        && approvals.stream().anyMatch(a -> a.approverType().equals("drill") && !a.expiredAt(now));
    int need = fresh.step().map(s -> core.policy.requirementFor(s.risk()).approvals()).orElse(1);
    if (!drill && valid.size() < need) {
      changes.add("only " + valid.size() + (valid.size() == 1 ? " valid approval" : " valid approvals") + " of the "
          + need + " needed");
    }
    return changes;
  }

  /**
   * Whether a person's approval still counts: team.yaml as read now still gives them a role the
   * policy asks for the step's risk (it may have changed since they approved, e.g. they left the
   * team and the replicas restarted). Other approvers (the drill bot on drill runs) are not in it.
   */
  private boolean stillMayApprove(ApprovalRecord a, Step step) {
    if (!a.approverType().equals(ActorType.HUMAN.dbName())) {
      return true;
    }
    List<Role> roles = core.policy.requirementFor(step.risk()).roles().stream().map(Role::fromYaml)
        .flatMap(Optional::stream).toList();
    return core.team.get().person(a.approver()).filter(p -> roles.stream().anyMatch(p::has)).isPresent();
  }

  private void invalidate(RunTx tx, Fresh fresh, StepRecord row, List<String> changes) {
    RunRecord run = fresh.run();
    String stepId = row.stepId();
    Columns set = Columns.set().put("state", StepState.AWAITING_APPROVAL.dbName()).decrement("attempt")
        .nul("lease_owner").nul("lease_until").nul("started_at").at("awaiting_since", core.now());
    fresh.action().ifPresent(a -> set.put("action_hash", a.hash()).put("action_display", a.display()));
    tx.record(Events.step(core.system, "approval.invalidated", run, stepId, Events.details(
        "attempt", row.attempt(), "changes", changes, "approved_action_hash", row.actionHash().orElse(null),
        "action_hash_now", fresh.action().map(StepRenderer.Rendered::hash).orElse(null))));
    if (fresh.step().isPresent() && fresh.action().isPresent()) {
      tx.record(StepTransitions.awaiting(core, run, fresh.step().get(), row.attempt(), fresh.action().get()));
    }
    core.metrics.invalidation();
    String waiting = Waiting.approval(stepId) + " again: " + String.join("; ", changes);
    tx.updateStep(run.id(), stepId, set);
    tx.voidApprovals(run.id(), stepId, "invalidated: " + String.join("; ", changes), core.now());
    tx.updateRun(run.id(), Columns.set().put("waiting_for", waiting));
  }

}
