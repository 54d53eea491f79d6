package dev.rebound.engine;

import dev.rebound.audit.ActorType;
import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.NotFoundException;
import dev.rebound.inventory.Role;
import dev.rebound.runbook.ApprovalPolicy;
import dev.rebound.runbook.Risk;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the agent asks of the engine on a person's behalf: proposing a run and requesting the
 * approval of its next step. Neither executes or approves anything.
 *
 * <p>The person is the run's requester, exactly as if they had started it themselves, so the
 * four-eyes rule excludes them from approving its high-risk steps; the agent is recorded as the
 * proposer and is never an approver. A step may be requested only when it is one of the run's
 * {@linkplain #allowed allowed next steps}: steps cannot be skipped or taken out of order. Each
 * request is audited ({@code approval.requested}, or {@code step.request_refused} with the
 * reason) with what the approval will bind.
 */
final class RunRequests {
  private final Core core;
  private final RunCreation creation;

  RunRequests(Core core, RunCreation creation) {
    this.core = core;
    this.creation = creation;
  }

  Future<String> propose(Actor proposer, Actor requester, NewRun request) {
    Optional<String> problem = onBehalfProblem(proposer, requester, "propose a run");
    if (problem.isPresent()) {
      return Future.failedFuture(new ForbiddenException(problem.get()));
    }
    return creation.create(requester, request, Optional.of(proposer));
  }

  Future<Void> requestStep(Actor proposer, Actor requester, String runId, String stepId) {
    Optional<String> problem = onBehalfProblem(proposer, requester, "request a step")
        .or(() -> requester.role().allows(Role.RESPONDER) ? Optional.empty()
            : Optional.of("requesting a step needs role responder; " + requester.id() + " has "
                + requester.role().yamlName()));
    if (problem.isPresent()) {
      return Future.failedFuture(new ForbiddenException(problem.get()));
    }
    if (!RunIds.plausible(runId)) {
      return Future.failedFuture(NotFoundException.of("run", runId));
    }
    return core.store.<Optional<NotAllowed>>inTransaction(tx -> tx.lockRun(runId).compose(run -> tx.steps(runId)
            .map(steps -> {
              List<String> allowed = allowed(run, steps);
              Optional<StepRecord> step = steps.stream().filter(s -> s.stepId().equals(stepId)).findFirst();
              if (step.isEmpty() || !allowed.contains(stepId)) {
                return Optional.of(new NotAllowed(run.incidentId().orElse(null), (step.isEmpty() ? "run " + runId + " has no step '" + stepId + "'"
                    : "step " + stepId + " of run " + runId + " (" + step.get().state().dbName()
                        + ") is not an allowed next step") + " (run " + run.state().dbName()
                    + run.waitingFor().map(w -> ", waiting for " + w).orElse("") + "); allowed next: "
                    + (allowed.isEmpty() ? "none" : String.join(", ", allowed))
                    + ". Steps cannot be skipped or taken out of order"));
              }
              tx.record(requested(proposer, requester, run, step.get()));
              return Optional.<NotAllowed>empty();
            })))
        .compose(refusal -> refusal.isEmpty() ? Future.<Void>succeededFuture() : refuse(proposer, requester, runId,
            stepId, refusal.get()));
  }

  private record NotAllowed(String incidentId, String message) {}

  /**
   * The steps whose approval may be asked for now: those awaiting approval, while the run is
   * proposed or running and the engine owes it no work of its own (checks, rollback).
   */
  static List<String> allowed(RunRecord run, List<StepRecord> steps) {
    List<String> out = new ArrayList<>();
    if ((run.state() != RunState.PROPOSED && run.state() != RunState.RUNNING) || run.work().isPresent()) {
      return out;
    }
    for (StepRecord s : steps) {
      if (s.state() == StepState.AWAITING_APPROVAL) {
        out.add(s.stepId());
      }
    }
    return out;
  }

  private dev.rebound.audit.AuditEvent requested(Actor proposer, Actor requester, RunRecord run, StepRecord step) {
    ApprovalPolicy.Requirement need = core.policy.requirementFor(Risk.of(step.risk()));
    List<String> excluded = new ArrayList<>(List.of(Actor.AGENT_ID));
    if (need.distinctFromRequester()) {
      excluded.add(run.requestedBy());
    }
    return Events.step(proposer, "approval.requested", run, step.stepId(), Events.details(
        "requested_for", requester.id(), "attempt", step.attempt() + 1, "risk", step.risk(),
        "content_hash", run.contentHash(), "action_hash", step.actionHash().orElse(null), "targets", step.targets(),
        "approvals_required", run.kind() == RunKind.DRILL ? 1 : need.approvals(), "roles", need.roles(),
        "excluded_approvers", excluded));
  }

  private Future<Void> refuse(Actor proposer, Actor requester, String runId, String stepId, NotAllowed refusal) {
    return core.store.<Void>inTransaction(tx -> {
      tx.record(Events.run(proposer.type(), proposer.id(), "step.request_refused", runId, refusal.incidentId(),
          Events.details("step_id", stepId, "requested_for", requester.id(), "reason", "not_an_allowed_next_step",
              "message", refusal.message())));
      return Future.succeededFuture();
    }).transform(done -> Future.failedFuture(new ConflictException(refusal.message())));
  }

  /** Only the agent acts for someone, and only for a person's (or the admin token's) identity. */
  private static Optional<String> onBehalfProblem(Actor proposer, Actor requester, String what) {
    if (proposer.type() != ActorType.AGENT) {
      return Optional.of("only the agent may " + what + " on someone's behalf; " + proposer.id()
          + " acts for themselves");
    }
    if (requester.type() != ActorType.HUMAN) {
      return Optional.of("the agent may " + what + " only for the person it talks to, not for '" + requester.id()
          + "' (" + requester.type().dbName() + ")");
    }
    return Optional.empty();
  }
}
