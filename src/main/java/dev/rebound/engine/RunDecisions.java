package dev.rebound.engine;

import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.NotFoundException;
import dev.rebound.inventory.Role;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * What a person decides about a paused run: retry a failed step (which needs a fresh approval),
 * roll back, abort, or re-check failed preconditions. Refused while a step is running: its
 * outcome must be known first.
 */
final class RunDecisions {
  private final Core core;

  RunDecisions(Core core) {
    this.core = core;
  }

  /** The failed step awaits a fresh approval of its action rendered now. */
  Future<Void> retry(Actor actor, String runId, String stepId) {
    require(actor, Role.RESPONDER, "request a retry");
    return load(runId)
        .compose(run -> core.store.steps(runId).compose(steps -> core.blocking(() -> {
          Runbook runbook = core.sameRunbook(run).orElseThrow(() -> new ConflictException(
              "the runbook file changed since the run started: abort it and start a new run"));
          Step step = runbook.step(stepId).orElseThrow(() -> NotFoundException.of("step", stepId));
          var outputs = Core.outputs(steps);
          outputs.remove(stepId);
          return new Object[] {step, core.renderer.action(step, Core.params(run), outputs)};
        })))
        .compose(prepared -> core.store.<Void>inTransaction(tx -> tx.lockRun(runId).compose(run -> {
          requireActive(run);
          return tx.lockStep(runId, stepId).compose(found -> {
            StepRecord row = found.orElseThrow(() -> NotFoundException.of("step", stepId));
            if (row.state() != StepState.FAILED || !List.of("none", "recorded").contains(row.undoState())) {
              throw new ConflictException("step " + stepId + " is " + row.state().dbName()
                  + ": only a failed step that was not rolled back can be retried");
            }
            Step step = (Step) prepared[0];
            StepRenderer.Rendered rendered = (StepRenderer.Rendered) prepared[1];
            tx.record(Events.step(actor, "step.retry_requested", run, stepId, Events.details(
                "attempt", row.attempt() + 1, "previous_error", row.error().orElse(null))));
            return tx.updateStep(runId, stepId, Columns.set().nul("output").nul("summary").put("action_done", false)
                    .nul("finished_at"))
                .compose(n -> tx.voidApprovals(runId, stepId, "retry requested", core.now()))
                .compose(n -> StepTransitions.toAwaiting(core, tx, run, step, row.attempt() + 1, rendered));
          });
        })));
  }

  /** Rolls the run back: later steps are skipped, then the undo work starts (on this instance). */
  Future<Void> rollback(Actor actor, String runId, String reason) {
    require(actor, Role.APPROVER, "roll back a run");
    Reasons.check(reason);
    return load(runId).compose(r -> core.store.<Void>inTransaction(tx -> tx.lockRun(runId).compose(run -> {
      if (run.state().isFinal()) {
        throw new ConflictException("run " + runId + " is " + run.state().dbName() + " and has ended: it cannot be"
            + " rolled back any more" + (run.state() == RunState.SUCCEEDED ? ""
                : "; what it left in effect (left_in_effect of GET /api/runs/" + runId + ") is undone by hand"));
      }
      if (run.work().filter("rollback"::equals).isPresent()) {
        throw new ConflictException("run " + runId + " is already rolling back");
      }
      return tx.steps(runId).compose(steps -> {
        requireNoneRunning(steps);
        List<String> plan = steps.stream().filter(Rollback::needsUndo)
            .sorted((a, b) -> Integer.compare(b.idx(), a.idx())).map(StepRecord::stepId).toList();
        tx.record(Events.run(actor, "rollback.started", run, Events.details("reason", reason,
            "undo_order", plan)));
        return skipOpenSteps(tx, run, steps, "rolled back")
            .compose(v -> tx.updateRun(runId, Columns.set().put("state", RunState.RUNNING.dbName())
                .put("work", "rollback").nul("waiting_for").nul("error")
                .put("lease_owner", core.settings.ownerId()).leaseFromNow("lease_until", core.settings.lease())))
            .mapEmpty();
      });
    })));
  }

  Future<Void> abort(Actor actor, String runId, String reason) {
    require(actor, Role.APPROVER, "abort a run");
    Reasons.check(reason);
    return load(runId).compose(r -> core.store.<Void>inTransaction(tx -> tx.lockRun(runId).compose(run -> {
      if (run.state().isFinal()) {
        throw new ConflictException("run " + runId + " is already " + run.state().dbName());
      }
      if (run.work().filter("rollback"::equals).isPresent()) {
        throw new ConflictException("run " + runId + " is rolling back: wait for the rollback to end");
      }
      return tx.steps(runId).compose(steps -> {
        requireNoneRunning(steps);
        tx.record(Events.run(actor, "run.aborted", run, Events.details("reason", reason)));
        return skipOpenSteps(tx, run, steps, "aborted")
            .compose(v -> tx.updateRun(runId, RunWork.finished().put("state", RunState.ABORTED.dbName())
                .nul("waiting_for").put("error", "aborted by " + actor.id() + (reason == null ? "" : ": " + reason))
                .now("finished_at")))
            .mapEmpty();
      });
    })));
  }

  /** Checks failed preconditions again. */
  Future<Void> recheck(Actor actor, String runId) {
    require(actor, Role.RESPONDER, "re-check preconditions");
    return load(runId).compose(r -> core.store.<Void>inTransaction(tx -> tx.lockRun(runId).compose(run -> {
      if (run.state() != RunState.PROPOSED || run.work().isPresent()) {
        throw new ConflictException("run " + runId + " is not blocked by its preconditions");
      }
      return tx.steps(runId).compose(steps -> {
        if (steps.isEmpty() || steps.get(0).state() != StepState.PENDING) {
          throw new ConflictException("run " + runId + " is not blocked by its preconditions");
        }
        tx.record(Events.run(actor, "run.recheck_requested", run, Events.details()));
        return tx.updateRun(runId, Columns.set().put("work", "preconditions").put("waiting_for", Waiting.preconditions())
            .put("lease_owner", core.settings.ownerId()).leaseFromNow("lease_until", core.settings.lease())).mapEmpty();
      });
    })));
  }

  private Future<RunRecord> load(String runId) {
    if (!RunIds.plausible(runId)) {
      return Future.failedFuture(NotFoundException.of("run", runId));
    }
    return core.store.run(runId).map(run -> run.orElseThrow(() -> NotFoundException.of("run", runId)));
  }

  private Future<Void> skipOpenSteps(RunTx tx, RunRecord run, List<StepRecord> steps, String why) {
    Future<Void> chain = Future.succeededFuture();
    for (StepRecord s : steps) {
      if (s.state() == StepState.PENDING || s.state() == StepState.AWAITING_APPROVAL
          || s.state() == StepState.APPROVED) {
        tx.record(Events.step(core.system, "step.skipped", run, s.stepId(), Events.details("reason", "run " + why)));
        chain = chain.compose(v -> tx.updateStep(run.id(), s.stepId(), Columns.set()
                .put("state", StepState.SKIPPED.dbName()).nul("lease_owner").nul("lease_until")))
            .compose(n -> tx.voidApprovals(run.id(), s.stepId(), "run " + why, core.now()))
            .mapEmpty();
      }
    }
    return chain;
  }

  private static void requireNoneRunning(List<StepRecord> steps) {
    Optional<StepRecord> running = steps.stream().filter(s -> s.state() == StepState.RUNNING).findFirst();
    if (running.isPresent()) {
      throw new ConflictException("step " + running.get().stepId() + " is running: wait until its outcome is known");
    }
  }

  private static void requireActive(RunRecord run) {
    if ((run.state() != RunState.PROPOSED && run.state() != RunState.RUNNING) || run.work().isPresent()) {
      throw new ConflictException("run " + run.id() + " is " + run.state().dbName()
          + run.work().map(w -> " (" + w + ")").orElse(""));
    }
  }

  private static void require(Actor actor, Role role, String what) {
    if (!actor.role().allows(role)) {
      throw new ForbiddenException("to " + what + " needs role " + role.yamlName() + "; " + actor.id() + " has "
          + actor.role().yamlName());
    }
  }
}
