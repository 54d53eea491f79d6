package dev.rebound.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.audit.AuditEvent;
import dev.rebound.engine.check.CheckContext;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The end of a step whose action completed: its verify checks and the runbook's invariants decide
 * whether it succeeded; then the next step awaits approval, or the run's validation is owed.
 *
 * <p>A step with checks records {@code action_done} in a transaction of its own before they run
 * (so recovery after a crash re-runs only the checks); a step without checks records the
 * completed action and its end in one transaction, which is just as safe: before that commit the
 * step is running with its action not recorded as done, exactly as while the action ran.
 */
final class StepCompletion {
  private final Core core;

  StepCompletion(Core core) {
    this.core = core;
  }

  private record Verdict(List<CheckResult> verify, List<CheckResult> invariants, Optional<Step> next,
      Optional<StepRenderer.Rendered> nextAction, Optional<String> nextError, Optional<String> problem) {}

  /**
   * Runs the checks (on a worker) and records the step's end.
   *
   * @param outputs the outputs of the run's steps, this one's included
   */
  Future<Void> finishChecks(RunRecord run, String stepId, int attempt, Map<String, JsonNode> outputs,
      Instant began) {
    return core.blocking(() -> verdict(run, core.sameRunbook(run), outputs, stepId, attempt))
        .compose(v -> core.store.inTransaction(tx -> complete(tx, run, stepId, attempt, () -> Future.succeededFuture(v),
            Columns.set(), Optional.empty())))
        .compose(validate -> ended(run, validate, began));
  }

  /**
   * For a step without checks: records the completed action and the step's end in one transaction.
   *
   * @param set the columns recording the completed action
   * @param runbookAfter the runbook file as read on the action's worker right after it returned
   *     (see {@link Attempts}), if it is still the run's content
   */
  Future<Void> finishWithoutChecks(RunRecord run, String stepId, int attempt, Map<String, JsonNode> outputs,
      Columns set, AuditEvent actionCompleted, Instant began, Future<Optional<Runbook>> runbookAfter) {
    // The file was read on the action's worker, so the verdict (the next step rendered, pure CPU)
    // needs no other hop to a worker: it is made while the transaction begins and locks the step.
    // It runs no checks: runbookAfter is present only with the run's content, which the claim
    // found to have none for this step.
    Supplier<Future<Verdict>> verdict =
        () -> runbookAfter.map(runbook -> verdict(run, runbook, outputs, stepId, attempt));
    return core.store.inTransaction(tx -> complete(tx, run, stepId, attempt, verdict, set,
            Optional.of(actionCompleted)))
        .compose(validate -> ended(run, validate, began));
  }

  private Future<Void> ended(RunRecord run, Optional<Boolean> validate, Instant began) {
    core.metrics.stepFinished(validate.isPresent() ? "succeeded" : "failed", Duration.between(began, Instant.now()));
    return validate.orElse(false) ? core.runWork.apply(run.id()) : Future.succeededFuture();
  }

  /**
   * Runs the checks (blocking when there are any), renders the next step's action.
   *
   * @param runbook the runbook file as read after the action, if it is still the run's content
   */
  private Verdict verdict(RunRecord run, Optional<Runbook> runbook, Map<String, JsonNode> outputs, String stepId,
      int attempt) {
    if (runbook.isEmpty()) {
      return new Verdict(List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.of("the runbook file changed while the step ran; its checks were not run"));
    }
    Runbook rb = runbook.get();
    Step step = rb.step(stepId).orElseThrow();
    Map<String, JsonNode> params = Core.params(run);
    // Given time to settle after the action (SettledChecks); the invariants run once verify passes.
    SettledChecks.StepVerdict checked = SettledChecks.step(core, run, stepId, attempt,
        core.renderer.checks(step.verify(), step.pointer() + "/verify", core.renderer.renderer(params, outputs)),
        core.renderer.checks(rb.invariants(), "/invariants", core.renderer.renderer(params, Map.of())), step.timeout());
    List<CheckResult> verify = checked.verify();
    List<CheckResult> invariants = checked.invariants();
    Optional<String> problem = Checks.firstFailed(verify).map(r -> "verify check " + Checks.describe(r))
        .or(() -> Checks.firstFailed(invariants).map(r -> "invariant " + Checks.describe(r) + " (after this step)"));
    Optional<Step> next = step.index() + 1 < rb.steps().size() ? Optional.of(rb.steps().get(step.index() + 1))
        : Optional.empty();
    Optional<StepRenderer.Rendered> nextAction = Optional.empty();
    Optional<String> nextError = Optional.empty();
    if (problem.isEmpty() && next.isPresent()) {
      try {
        nextAction = Optional.of(core.renderer.action(next.get(), params, outputs));
      } catch (RuntimeException e) {
        nextError = Optional.of(e.getMessage());
      }
    }
    return new Verdict(verify, invariants, next, nextAction, nextError, problem);
  }

  /**
   * Ends the step if this instance still holds its lease (else changes nothing). The lease is
   * checked on the step's row, locked by a read that goes out with BEGIN (while {@code verdict},
   * asked for right after, is made), so the writes (still conditional on the lease) and the
   * audit entry follow with COMMIT in one more round trip; they are not awaited: the commit waits
   * for them.
   *
   * @return present when the step succeeded; true when the run's validation is now owed
   */
  private Future<Optional<Boolean>> complete(RunTx tx, RunRecord run, String stepId, int attempt,
      Supplier<Future<Verdict>> verdictOnceLocking, Columns set, Optional<AuditEvent> actionCompleted) {
    String owner = core.settings.ownerId();
    tx.lockRunBeforeSteps(run.id());
    var lockedStep = tx.lockStep(run.id(), stepId);
    var verdict = verdictOnceLocking.get();
    return Future.all(lockedStep, verdict).map(both -> {
      Optional<StepRecord> locked = lockedStep.result();
      Verdict v = verdict.result();
      boolean ours = locked.filter(s -> s.state() == StepState.RUNNING)
          .flatMap(StepRecord::leaseOwner).filter(owner::equals).isPresent();
      if (!ours) {
        return Optional.<Boolean>empty();
      }
      set.nul("lease_owner").nul("lease_until").now("finished_at");
      if (v.problem().isPresent()) {
        set.put("state", StepState.FAILED.dbName()).put("error", v.problem().get());
      } else {
        set.put("state", StepState.SUCCEEDED.dbName());
      }
      tx.updateOwnedStep(run.id(), stepId, owner, set);
      actionCompleted.ifPresent(tx::record);
      Checks.record(core, tx, run, Optional.of(stepId), "verify", attempt, v.verify());
      Checks.record(core, tx, run, Optional.of(stepId), "invariant", attempt, v.invariants());
      if (v.problem().isPresent()) {
        tx.record(Events.step(core.system, "step.failed", run, stepId, Events.details(
            "attempt", attempt, "error", v.problem().get(), "may_have_applied", true)));
        tx.updateRun(run.id(), Columns.set().put("waiting_for", Waiting.decision(stepId)));
        return Optional.<Boolean>empty();
      }
      tx.record(Events.step(core.system, "step.succeeded", run, stepId, Events.details("attempt", attempt)));
      if (v.next().isEmpty()) {
        tx.updateRun(run.id(), Columns.set().put("work", "validation").nul("waiting_for")
            .put("lease_owner", owner).leaseFromNow("lease_until", core.settings.lease()));
        return Optional.of(true);
      }
      Step next = v.next().get();
      if (v.nextAction().isPresent()) {
        StepTransitions.toAwaiting(core, tx, run, next, 1, v.nextAction().get());
      } else {
        StepTransitions.failUnrendered(core, tx, run, next.id(), "cannot render: " + v.nextError().orElse("?"));
      }
      return Optional.of(false);
    });
  }
}
