package dev.rebound.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.audit.AuditEvent;
import dev.rebound.engine.action.ActionContext;
import dev.rebound.engine.action.ActionOutcome;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes approved steps exactly once: {@link StepClaim} claims the step (the re-checks at the
 * moment of execution and the audit of {@code step.started} commit before anything runs), the
 * action runs here with its retries under a renewed lease, and {@link StepCompletion} records how
 * it ended.
 */
final class StepExecution {
  private static final Logger LOG = LoggerFactory.getLogger(StepExecution.class);

  private final Core core;
  private final StepClaim claims;
  private final StepCompletion completion;

  StepExecution(Core core, StepClaim claims, StepCompletion completion) {
    this.core = core;
    this.claims = claims;
    this.completion = completion;
  }

  /** Claims the approved step and runs it; completes when done, or at once if another claimer won. */
  Future<Void> runApproved(String runId, String stepId) {
    Instant began = Instant.now();
    return claims.fresh(runId, stepId)
        .compose(fresh -> fresh.isEmpty() ? Future.succeededFuture(Optional.<StepClaim.Claimed>empty())
            : claims.claim(fresh.get(), stepId))
        .compose(claimed -> claimed.isEmpty() ? Future.succeededFuture() : execute(claimed.get(), began))
        .onFailure(e -> LOG.warn("step {}/{} failed in the engine: {}", runId, stepId, e.toString()));
  }

  /** Runs the claimed step's action (with retries) and records how it ended. */
  Future<Void> execute(StepClaim.Claimed claimed, Instant began) {
    StepRecord row = claimed.row();
    RunRecord run = claimed.fresh().run();
    Step step = claimed.fresh().step().orElseThrow();
    String owner = core.settings.ownerId();
    ActionContext ctx = ActionContext.of(run.id(), row.stepId(), row.attempt(), row.idempotencyKey(), step.timeout());
    if (step.action().type().equals("manual")) {
      // The approval of a manual step is the person's confirmation that it is done.
      ctx = ctx.confirmedBy(String.join(", ", claimed.approvers()), null);
    }
    Runnable stop = Attempts.keepAlive(core, lease -> core.store.renewStepLease(run.id(), row.stepId(), owner, lease));
    return Attempts.execute(core, step, claimed.fresh().action().get().real(), ctx, retry -> core.store.inTransaction(tx -> {
          tx.record(Events.step(core.system, "step.attempt_failed", run, row.stepId(), Events.details(
              "attempt", row.attempt(), "try", retry.tryNumber(), "max_tries", retry.maxTries(),
              "error", retry.failure().getMessage(), "outcome_unknown", retry.failure().outcomeUnknown(),
              "retry_in_ms", retry.backoff().toMillis())));
          return tx.updateOwnedStep(run.id(), row.stepId(), owner, Columns.set()
              .put("error", retry.failure().getMessage())
              .put("may_have_applied", row.mayHaveApplied() || retry.failure().outcomeUnknown())).map(n -> n == 1);
        }), claimed.fresh().checksAfterAction() ? Optional::empty : () -> core.sameRunbook(run))
        .compose(result -> {
          if (result.abandoned()) {
            return Future.succeededFuture();
          }
          if (!result.succeeded()) {
            return failed(run, row, result, began);
          }
          return succeeded(claimed, step, result, began);
        })
        .onComplete(r -> stop.run());
  }

  private Future<Void> succeeded(StepClaim.Claimed claimed, Step step, Attempts.Result result, Instant began) {
    ActionOutcome outcome = result.outcome().get();
    int tries = result.tries();
    StepRecord row = claimed.row();
    StepClaim.Fresh fresh = claimed.fresh();
    RunRecord run = fresh.run();
    Map<String, JsonNode> outputs = Core.outputs(fresh.steps());
    outputs.put(step.id(), outcome.output());
    Columns set = Columns.set().put("action_done", true).put("may_have_applied", true)
        .put("output", outcome.output()).put("summary", outcome.summary()).nul("error");
    // An undo that uses this step's own output can be rendered now (pure rendering: no worker needed).
    lateUndo(fresh, step, run, outputs).ifPresent(u -> set.put("undo", u.display()).put("undo_hash", u.hash()));
    AuditEvent completed = Events.step(core.system, "step.action_completed", run, row.stepId(), Events.details(
        "attempt", row.attempt(), "tries", tries, "summary", outcome.summary(), "output", outcome.output(),
        "duration_ms", outcome.duration().toMillis()));
    if (!fresh.checksAfterAction()) {
      return completion.finishWithoutChecks(run, row.stepId(), row.attempt(), outputs, set, completed, began,
          result.runbookAfter());
    }
    // Recorded before the checks run, so a crash during them re-runs only the checks.
    return core.store.inTransaction(tx -> tx.updateOwnedStep(run.id(), row.stepId(), core.settings.ownerId(), set)
            .map(n -> {
              if (n == 1) {
                tx.record(completed);
              }
              return n == 1;
            }))
        .compose(ours -> ours ? completion.finishChecks(run, row.stepId(), row.attempt(), outputs, began)
            : Future.succeededFuture());
  }

  private Optional<StepRenderer.Rendered> lateUndo(StepClaim.Fresh fresh, Step step, RunRecord run,
      Map<String, JsonNode> outputs) {
    if (fresh.undo().isPresent() || step.rollback().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(core.renderer.undo(step, step.rollback().get(), Core.params(run), outputs));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private Future<Void> failed(RunRecord run, StepRecord row, Attempts.Result result, Instant began) {
    var e = result.failure().get();
    boolean mayHaveApplied = row.mayHaveApplied() || result.anyUnknown();
    return core.store.<Void>inTransaction(tx -> {
      tx.lockRunBeforeSteps(run.id());
      return tx.updateOwnedStep(run.id(), row.stepId(), core.settings.ownerId(),
              Columns.set().put("state", StepState.FAILED.dbName()).put("error", e.getMessage()).put("output", e.output())
                  .put("may_have_applied", mayHaveApplied).nul("lease_owner").nul("lease_until").now("finished_at"))
          .map(n -> {
            if (n == 1) {
              tx.record(Events.step(core.system, "step.failed", run, row.stepId(), Events.details(
                  "attempt", row.attempt(), "tries", result.tries(), "error", e.getMessage(),
                  "retryable", e.retryable(), "outcome_unknown", e.outcomeUnknown(), "may_have_applied", mayHaveApplied,
                  "output", e.output())));
              tx.updateRun(run.id(), Columns.set().put("waiting_for", Waiting.decision(row.stepId())));
            }
            return (Void) null;
          });
    }).onSuccess(v -> core.metrics.stepFinished("failed", Duration.between(began, Instant.now())));
  }
}
