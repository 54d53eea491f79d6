package dev.rebound.engine;

import dev.rebound.audit.AuditEvent;
import dev.rebound.runbook.ApprovalPolicy;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;

/** Transitions several parts share: a step starts awaiting approval, a step fails. */
final class StepTransitions {
  private StepTransitions() {}

  /** The audit entry saying what a step's approval will bind and who may give it. */
  static AuditEvent awaiting(Core core, RunRecord run, Step step, int attempt, StepRenderer.Rendered rendered) {
    ApprovalPolicy.Requirement need = core.policy.requirementFor(step.risk());
    return Events.step(core.system, "step.awaiting_approval", run, step.id(), Events.details(
        "attempt", attempt, "risk", step.risk().label(), "action", rendered.display(),
        "action_hash", rendered.hash(), "content_hash", run.contentHash(), "targets", step.targets(),
        "approvals_required", need.approvals(), "roles", need.roles(),
        "distinct_from_requester", need.distinctFromRequester()));
  }

  /** {@code step} now awaits approval of {@code rendered} for attempt {@code attempt}. */
  static Future<Void> toAwaiting(Core core, RunTx tx, RunRecord run, Step step, int attempt,
      StepRenderer.Rendered rendered) {
    tx.record(awaiting(core, run, step, attempt, rendered));
    return Future.all(tx.updateStep(run.id(), step.id(), Columns.set()
            .put("state", StepState.AWAITING_APPROVAL.dbName())
            .put("action_hash", rendered.hash()).put("action_display", rendered.display())
            .at("awaiting_since", core.now()).nul("error").nul("lease_owner").nul("lease_until")),
        tx.updateRun(run.id(), Columns.set().put("waiting_for", Waiting.approval(step.id()))))
        .mapEmpty();
  }

  /** A step that cannot even be rendered fails, without having run, and the run waits for a person. */
  static Future<Void> failUnrendered(Core core, RunTx tx, RunRecord run, String stepId, String error) {
    tx.record(Events.step(core.system, "step.failed", run, stepId, Events.details(
        "error", error, "outcome_unknown", false, "ran", false)));
    return Future.all(tx.updateStep(run.id(), stepId, Columns.set().put("state", StepState.FAILED.dbName())
            .put("error", error).now("finished_at")),
        tx.updateRun(run.id(), Columns.set().put("waiting_for", Waiting.decision(stepId))))
        .mapEmpty();
  }
}
