package dev.rebound.engine;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running step whose lease expired: its instance died or lost the database. If its action had
 * completed, only its checks are re-run; else an idempotent step runs again (same key) when
 * nothing it was approved for changed; any other step fails and waits for a person.
 */
final class StepRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(StepRecovery.class);

  private final Core core;
  private final StepClaim claims;
  private final StepExecution execution;
  private final StepCompletion completion;

  StepRecovery(Core core, StepClaim claims, StepExecution execution, StepCompletion completion) {
    this.core = core;
    this.claims = claims;
    this.execution = execution;
    this.completion = completion;
  }

  private record Resume(StepRecord row, boolean checksOnly) {}

  Future<Void> recover(String runId, String stepId) {
    Instant began = Instant.now();
    return claims.fresh(runId, stepId).compose(fresh -> {
      if (fresh.isEmpty()) {
        return Future.succeededFuture();
      }
      StepClaim.Fresh f = fresh.get();
      RunRecord run = f.run();
      return core.store.inTransaction(tx -> {
            tx.lockRunBeforeSteps(runId);
            return tx.takeOverExpired(runId, stepId, core.settings.ownerId(), core.settings.lease())
                .map(taken -> taken.flatMap(row -> decide(tx, f, row)));
          })
          .compose(resume -> {
            if (resume.isEmpty()) {
              return Future.succeededFuture();
            }
            StepRecord row = resume.get().row();
            if (resume.get().checksOnly()) {
              // The checks may take a settle window: keep the step's lease meanwhile, as execution does.
              Runnable stop = Attempts.keepAlive(core, lease -> core.store.renewStepLease(runId, stepId,
                  core.settings.ownerId(), lease));
              return completion.finishChecks(run, stepId, row.attempt(), Core.outputs(f.steps()), began)
                  .onComplete(r -> stop.run());
            }
            return execution.execute(new StepClaim.Claimed(row, f, List.of()), began);
          });
    }).onFailure(e -> LOG.warn("recovery of step {}/{} failed: {}", runId, stepId, e.toString()));
  }

  /** What to do with the step taken over; records it. Empty when it failed and waits for a person. */
  private Optional<Resume> decide(RunTx tx, StepClaim.Fresh f, StepRecord row) {
    RunRecord run = f.run();
    String runId = run.id();
    String stepId = row.stepId();
    boolean sameContent = f.runbook().map(r -> r.contentHash().equals(run.contentHash())).orElse(false);
    if (row.actionDone() && sameContent) {
      tx.record(Events.step(core.system, "step.resumed", run, stepId, Events.details("attempt", row.attempt(),
          "reason", "the lease expired after the action completed: re-running its checks only")));
      return Optional.of(new Resume(row, true));
    }
    boolean sameAction = f.action().map(a -> Optional.of(a.hash()).equals(row.actionHash())).orElse(false);
    if (row.idempotent() && sameContent && sameAction && !row.actionDone()) {
      tx.record(Events.step(core.system, "step.resumed", run, stepId, Events.details("attempt", row.attempt(),
          "reason", "the lease expired while the step ran; it is idempotent: running it again with the same"
              + " idempotency key", "idempotency_key", row.idempotencyKey())));
      return Optional.of(new Resume(row, false));
    }
    String error = !row.idempotent() ? Waiting.INTERRUPTED_ERROR
        : "interrupted while running; the runbook or the rendered action changed since approval, outcome"
            + " unknown: a person must check the target and choose retry, rollback or abort";
    tx.record(Events.step(core.system, "step.failed", run, stepId, Events.details("attempt", row.attempt(),
        "reason", "interrupted", "error", error, "outcome_unknown", true, "may_have_applied", true)));
    tx.updateStep(runId, stepId, Columns.set().put("state", StepState.FAILED.dbName())
        .put("error", error).put("may_have_applied", true).nul("lease_owner").nul("lease_until")
        .now("finished_at"));
    tx.updateRun(runId, Columns.set().put("waiting_for", row.idempotent()
        ? Waiting.decision(stepId) : Waiting.interrupted(stepId)));
    return Optional.empty();
  }
}
