package dev.rebound.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.engine.action.ActionContext;
import dev.rebound.engine.action.ActionOutcome;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.runbook.ApprovalPolicy;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes approved steps exactly once, and recovers steps whose instance died.
 *
 * <p>The claim is one transaction: the atomic {@code approved → running} UPDATE, then, on the
 * locked row, the re-checks at the moment of execution (the runbook file's content hash now
 * equals the run's; the action rendered now has the approved hash; same targets; enough
 * approvals, unexpired, unused, binding all of that), then the approvals are marked used, the undo
 * is recorded, {@code step.started} is audited, and it commits. Only then does the action run.
 * If anything differs, the same transaction puts the step back to awaiting approval with the new
 * rendering, voids the approvals and audits {@code approval.invalidated} with what changed.
 */
final class StepExecution {
  private static final Logger LOG = LoggerFactory.getLogger(StepExecution.class);

  private final Core core;

  StepExecution(Core core) {
    this.core = core;
  }

  /** What the claim compares, computed on a worker just before the claim transaction. */
  private record Fresh(RunRecord run, Optional<Runbook> runbook, Optional<Step> step,
      Optional<StepRenderer.Rendered> action, Optional<StepRenderer.Rendered> undo, Optional<JsonNode> undoPlan,
      Optional<String> renderError, List<StepRecord> steps) {}

  private record Claimed(StepRecord row, Fresh fresh, List<String> approvers) {}

  /** Claims the approved step and runs it; completes when done, or at once if another claimer won. */
  Future<Void> runApproved(String runId, String stepId) {
    Instant began = Instant.now();
    return fresh(runId, stepId)
        .compose(fresh -> fresh.isEmpty() ? Future.succeededFuture(Optional.<Claimed>empty()) : claim(fresh.get(), stepId))
        .compose(claimed -> claimed.isEmpty() ? Future.succeededFuture() : execute(claimed.get(), began))
        .onFailure(e -> LOG.warn("step {}/{} failed in the engine: {}", runId, stepId, e.toString()));
  }

  private Future<Optional<Fresh>> fresh(String runId, String stepId) {
    return core.store.run(runId).compose(run -> run.isEmpty()
        ? Future.succeededFuture(Optional.empty())
        : core.store.steps(runId).compose(steps -> core.blocking(() -> Optional.of(render(run.get(), steps, stepId)))));
  }

  /** Blocking: the runbook as on disk now, and the step's action and undo rendered from it. */
  private Fresh render(RunRecord run, List<StepRecord> steps, String stepId) {
    Optional<Runbook> runbook = core.runbooks.current(run.runbookId());
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

  private Future<Optional<Claimed>> claim(Fresh fresh, String stepId) {
    RunRecord run = fresh.run();
    String owner = core.settings.ownerId();
    return core.store.inTransaction(tx -> tx.claimApproved(run.id(), stepId, owner, core.settings.lease())
        .compose(claimed -> {
          if (claimed.isEmpty()) {
            return Future.succeededFuture(Optional.<Claimed>empty());
          }
          StepRecord row = claimed.get();
          return tx.openApprovals(run.id(), stepId, row.attempt()).compose(approvals -> {
            List<String> changes = changes(fresh, row, approvals);
            if (!changes.isEmpty()) {
              return invalidate(tx, fresh, row, changes).map(Optional.<Claimed>empty());
            }
            Instant now = core.now();
            List<ApprovalRecord> valid = approvals.stream().filter(a -> !a.expiredAt(now)).toList();
            List<String> approvers = valid.stream().map(ApprovalRecord::approver).distinct().toList();
            tx.record(Events.step(core.system, "step.started", run, stepId, Events.details(
                "attempt", row.attempt(), "action_hash", row.actionHash().orElse(null),
                "content_hash", run.contentHash(), "targets", row.targets(), "approved_by", approvers,
                "idempotency_key", row.idempotencyKey(),
                "undo", fresh.undo().map(StepRenderer.Rendered::display).or(fresh::undoPlan).orElse(null))));
            Columns set = Columns.set().put("action_done", false).nul("output").nul("summary").nul("error")
                .nul("finished_at");
            if (fresh.undo().isPresent()) {
              set.put("undo", fresh.undo().get().display()).put("undo_hash", fresh.undo().get().hash())
                  .put("undo_state", "recorded");
            } else if (fresh.undoPlan().isPresent()) {
              set.put("undo", fresh.undoPlan().get()).nul("undo_hash").put("undo_state", "recorded");
            }
            return tx.markUsed(valid.stream().map(ApprovalRecord::id).toList(), now)
                .compose(v -> tx.updateStep(run.id(), stepId, set))
                .compose(v -> tx.updateRun(run.id(), Columns.set().nul("waiting_for")))
                .map(v -> Optional.of(new Claimed(row, fresh, approvers)));
          });
        }));
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
      changes.add("the runbook file changed: content hash " + abbrev(fresh.runbook().get().contentHash())
          + " instead of " + abbrev(run.contentHash()));
    }
    fresh.renderError().ifPresent(e -> changes.add("the action cannot be rendered: " + e));
    fresh.action().ifPresent(a -> {
      if (!Optional.of(a.hash()).equals(row.actionHash())) {
        changes.add("the rendered action changed: hash " + abbrev(a.hash()) + " instead of the approved "
            + row.actionHash().map(StepExecution::abbrev).orElse("none"));
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
      } else if (!valid.contains(a.approver())) {
        valid.add(a.approver());
      }
    }
    Optional<Step> step = fresh.step();
    boolean drill = run.kind() == RunKind.DRILL
        && approvals.stream().anyMatch(a -> a.approverType().equals("drill") && !a.expiredAt(now));
    int need = step.map(s -> core.policy.requirementFor(s.risk()).approvals()).orElse(1);
    if (!drill && valid.size() < need) {
      changes.add("only " + valid.size() + " valid approval(s) of the " + need + " needed");
    }
    return changes;
  }

  private Future<Void> invalidate(RunTx tx, Fresh fresh, StepRecord row, List<String> changes) {
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
    return tx.updateStep(run.id(), stepId, set)
        .compose(n -> tx.voidApprovals(run.id(), stepId, "invalidated: " + String.join("; ", changes), core.now()))
        .compose(n -> tx.updateRun(run.id(), Columns.set().put("waiting_for", waiting)))
        .mapEmpty();
  }

  private Future<Void> execute(Claimed claimed, Instant began) {
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
        }))
        .compose(result -> {
          if (result.abandoned()) {
            return Future.succeededFuture();
          }
          if (!result.succeeded()) {
            return failed(run, row, result, began);
          }
          return actionDone(run, row, step, claimed.fresh(), result.outcome().get(), result.tries())
              .compose(ours -> ours ? finishChecks(run, row.stepId(), row.attempt(), began) : Future.succeededFuture());
        })
        .onComplete(r -> stop.run());
  }

  private Future<Void> failed(RunRecord run, StepRecord row, Attempts.Result result, Instant began) {
    var e = result.failure().get();
    boolean mayHaveApplied = row.mayHaveApplied() || result.anyUnknown();
    return core.store.<Void>inTransaction(tx -> tx.updateOwnedStep(run.id(), row.stepId(), core.settings.ownerId(),
            Columns.set().put("state", StepState.FAILED.dbName()).put("error", e.getMessage()).put("output", e.output())
                .put("may_have_applied", mayHaveApplied).nul("lease_owner").nul("lease_until").now("finished_at"))
        .compose(n -> {
          if (n == 0) {
            return Future.<Void>succeededFuture();
          }
          tx.record(Events.step(core.system, "step.failed", run, row.stepId(), Events.details(
              "attempt", row.attempt(), "tries", result.tries(), "error", e.getMessage(),
              "retryable", e.retryable(), "outcome_unknown", e.outcomeUnknown(), "may_have_applied", mayHaveApplied,
              "output", e.output())));
          return tx.updateRun(run.id(), Columns.set().put("waiting_for", Waiting.decision(row.stepId()))).<Void>mapEmpty();
        }))
        .onSuccess(v -> core.metrics.stepFinished("failed", Duration.between(began, Instant.now())));
  }

  /** Records the completed action (still running: its checks remain). False if the lease was lost. */
  private Future<Boolean> actionDone(RunRecord run, StepRecord row, Step step, Fresh fresh, ActionOutcome outcome,
      int tries) {
    return core.blocking(() -> {
      // An undo that uses this step's own output can be rendered now.
      if (fresh.undo().isPresent() || step.rollback().isEmpty()) {
        return Optional.<StepRenderer.Rendered>empty();
      }
      Map<String, JsonNode> outputs = new HashMap<>(Core.outputs(fresh.steps()));
      outputs.put(step.id(), outcome.output());
      try {
        return Optional.of(core.renderer.undo(step, step.rollback().get(), Core.params(run), outputs));
      } catch (RuntimeException e) {
        return Optional.<StepRenderer.Rendered>empty();
      }
    }).compose(lateUndo -> core.store.inTransaction(tx -> {
      Columns set = Columns.set().put("action_done", true).put("may_have_applied", true)
          .put("output", outcome.output()).put("summary", outcome.summary()).nul("error");
      lateUndo.ifPresent(u -> set.put("undo", u.display()).put("undo_hash", u.hash()));
      return tx.updateOwnedStep(run.id(), row.stepId(), core.settings.ownerId(), set).map(n -> {
        if (n == 1) {
          tx.record(Events.step(core.system, "step.action_completed", run, row.stepId(), Events.details(
              "attempt", row.attempt(), "tries", tries, "summary", outcome.summary(), "output", outcome.output(),
              "duration_ms", outcome.duration().toMillis())));
        }
        return n == 1;
      });
    }));
  }

  private record Verdict(List<CheckResult> verify, List<CheckResult> invariants, Optional<Step> next,
      Optional<StepRenderer.Rendered> nextAction, Optional<String> nextError, Optional<String> problem) {}

  /**
   * The step's action completed: its verify checks and the runbook's invariants decide whether it
   * succeeded; then the next step awaits approval, or the run's validation starts.
   */
  Future<Void> finishChecks(RunRecord run, String stepId, int attempt, Instant began) {
    return core.store.steps(run.id()).compose(steps -> core.blocking(() -> verdict(run, steps, stepId)))
        .compose(v -> core.store.inTransaction(tx -> complete(tx, run, stepId, attempt, v)))
        .compose(validate -> {
          core.metrics.stepFinished(validate.isPresent() ? "succeeded" : "failed", Duration.between(began, Instant.now()));
          return validate.orElse(false) ? core.runWork.apply(run.id()) : Future.<Void>succeededFuture();
        });
  }

  private Verdict verdict(RunRecord run, List<StepRecord> steps, String stepId) {
    Optional<Runbook> runbook = core.sameRunbook(run);
    if (runbook.isEmpty()) {
      return new Verdict(List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.of("the runbook file changed while the step ran; its checks were not run"));
    }
    Runbook rb = runbook.get();
    Step step = rb.step(stepId).orElseThrow();
    Map<String, JsonNode> params = Core.params(run);
    Map<String, JsonNode> outputs = Core.outputs(steps);
    List<CheckResult> verify = Checks.runAll(core, core.renderer.checks(step.verify(), step.pointer() + "/verify",
        core.renderer.renderer(params, outputs)), step.timeout());
    List<CheckResult> invariants = Checks.firstFailed(verify).isPresent() ? List.of()
        : Checks.runAll(core, core.renderer.checks(rb.invariants(), "/invariants", core.renderer.renderer(params, Map.of())),
            dev.rebound.engine.check.CheckContext.DEFAULT_TIMEOUT);
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

  /** @return present when the step succeeded; true when the run's validation is now owed */
  private Future<Optional<Boolean>> complete(RunTx tx, RunRecord run, String stepId, int attempt, Verdict v) {
    String owner = core.settings.ownerId();
    Columns set = Columns.set().nul("lease_owner").nul("lease_until").now("finished_at");
    if (v.problem().isPresent()) {
      set.put("state", StepState.FAILED.dbName()).put("error", v.problem().get());
    } else {
      set.put("state", StepState.SUCCEEDED.dbName());
    }
    return tx.updateOwnedStep(run.id(), stepId, owner, set).compose(n -> {
      if (n == 0) {
        return Future.succeededFuture(Optional.<Boolean>empty());
      }
      Future<Void> checks = Checks.record(core, tx, run, Optional.of(stepId), "verify", attempt, v.verify())
          .compose(x -> Checks.record(core, tx, run, Optional.of(stepId), "invariant", attempt, v.invariants()));
      if (v.problem().isPresent()) {
        tx.record(Events.step(core.system, "step.failed", run, stepId, Events.details(
            "attempt", attempt, "error", v.problem().get(), "may_have_applied", true)));
        return checks.compose(x -> tx.updateRun(run.id(), Columns.set().put("waiting_for", Waiting.decision(stepId))))
            .map(Optional.<Boolean>empty());
      }
      tx.record(Events.step(core.system, "step.succeeded", run, stepId, Events.details("attempt", attempt)));
      if (v.next().isEmpty()) {
        return checks.compose(x -> tx.updateRun(run.id(), Columns.set().put("work", "validation").nul("waiting_for")
            .put("lease_owner", owner).leaseFromNow("lease_until", core.settings.lease()))).map(Optional.of(true));
      }
      Step next = v.next().get();
      Future<Void> after = v.nextAction().isPresent()
          ? StepTransitions.toAwaiting(core, tx, run, next, 1, v.nextAction().get())
          : StepTransitions.failUnrendered(core, tx, run, next.id(), "cannot render: " + v.nextError().orElse("?"));
      return checks.compose(x -> after).map(Optional.of(false));
    });
  }

  /**
   * A running step whose lease expired: its instance died or lost the database. If its action had
   * completed, only its checks are re-run; else an idempotent step runs again (same key) when
   * nothing it was approved for changed; any other step fails and waits for a person.
   */
  Future<Void> recover(String runId, String stepId) {
    Instant began = Instant.now();
    return fresh(runId, stepId).compose(fresh -> {
      if (fresh.isEmpty()) {
        return Future.succeededFuture();
      }
      Fresh f = fresh.get();
      RunRecord run = f.run();
      return core.store.inTransaction(tx -> tx.takeOverExpired(runId, stepId, core.settings.ownerId(),
              core.settings.lease())
          .compose(taken -> {
            if (taken.isEmpty()) {
              return Future.succeededFuture(Optional.<Resume>empty());
            }
            StepRecord row = taken.get();
            boolean sameContent = f.runbook().map(r -> r.contentHash().equals(run.contentHash())).orElse(false);
            if (row.actionDone() && sameContent) {
              tx.record(Events.step(core.system, "step.resumed", run, stepId, Events.details("attempt", row.attempt(),
                  "reason", "the lease expired after the action completed: re-running its checks only")));
              return Future.succeededFuture(Optional.of(new Resume(row, true)));
            }
            boolean sameAction = f.action().map(a -> Optional.of(a.hash()).equals(row.actionHash())).orElse(false);
            if (row.idempotent() && sameContent && sameAction && !row.actionDone()) {
              tx.record(Events.step(core.system, "step.resumed", run, stepId, Events.details("attempt", row.attempt(),
                  "reason", "the lease expired while the step ran; it is idempotent: running it again with the same"
                      + " idempotency key", "idempotency_key", row.idempotencyKey())));
              return Future.succeededFuture(Optional.of(new Resume(row, false)));
            }
            String error = !row.idempotent() ? Waiting.INTERRUPTED_ERROR
                : "interrupted while running; the runbook or the rendered action changed since approval, outcome"
                    + " unknown: a person must check the target and choose retry, rollback or abort";
            tx.record(Events.step(core.system, "step.failed", run, stepId, Events.details("attempt", row.attempt(),
                "reason", "interrupted", "error", error, "outcome_unknown", true, "may_have_applied", true)));
            return tx.updateStep(runId, stepId, Columns.set().put("state", StepState.FAILED.dbName())
                    .put("error", error).put("may_have_applied", true).nul("lease_owner").nul("lease_until")
                    .now("finished_at"))
                .compose(n -> tx.updateRun(runId, Columns.set().put("waiting_for", row.idempotent()
                    ? Waiting.decision(stepId) : Waiting.interrupted(stepId))))
                .map(Optional.<Resume>empty());
          }))
          .compose(resume -> {
            if (resume.isEmpty()) {
              return Future.succeededFuture();
            }
            StepRecord row = resume.get().row();
            if (resume.get().checksOnly()) {
              return finishChecks(run, stepId, row.attempt(), began);
            }
            return execute(new Claimed(row, f, List.of()), began);
          });
    }).onFailure(e -> LOG.warn("recovery of step {}/{} failed: {}", runId, stepId, e.toString()));
  }

  private record Resume(StepRecord row, boolean checksOnly) {}

  /** The requirement for a step of this run: a drill run's steps are approved by the drill bot alone. */
  static ApprovalPolicy.Requirement requirement(Core core, Step step) {
    return core.policy.requirementFor(step.risk());
  }

  static String abbrev(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
  }
}
