package dev.rebound.engine;

import dev.rebound.engine.action.ActionContext;
import dev.rebound.engine.check.Settling;
import dev.rebound.runbook.Action;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Unwinds a run: the undo of every step that may have changed its target (succeeded, or failed
 * with an unknown outcome or a failed check), newest first, each with its step's idempotency
 * key, each recorded; steps without an undo ({@code reversible: false}) are reported and left;
 * then the invariants. An undo runs only if it renders now exactly as it was recorded before its
 * step started (same hash), from the same runbook content. An interrupted undo is re-run only for
 * an idempotent step; otherwise the rollback stops and waits for a person, as a failed undo does.
 */
final class Rollback {
  private static final String WORK = "rollback";

  private final Core core;

  Rollback(Core core) {
    this.core = core;
  }

  Future<Void> run(RunRecord run) {
    return core.store.steps(run.id()).compose(steps -> {
      Optional<StepRecord> next = steps.stream()
          .filter(Rollback::needsUndo)
          .max(Comparator.comparingInt(StepRecord::idx));
      if (next.isEmpty()) {
        return finish(run);
      }
      StepRecord step = next.get();
      Future<Boolean> handled = switch (step.undoState()) {
        case "none" -> skip(run, step);
        case "running" -> step.idempotent() ? undo(run, step, steps, true) : interrupted(run, step);
        default -> undo(run, step, steps, false);
      };
      return handled.compose(goOn -> goOn ? run(run) : Future.succeededFuture());
    });
  }

  /**
   * Steps whose effect may be in place and whose undo has not run or not finished. An attempt whose
   * outcome was unknown may have applied ({@code may_have_applied} stays set across attempts), also
   * once a retry was asked: the step then awaits approval again, and the rollback skips it first.
   */
  static boolean needsUndo(StepRecord s) {
    boolean applied = s.state() == StepState.SUCCEEDED || (s.state() != StepState.ROLLED_BACK && s.mayHaveApplied());
    return applied && List.of("none", "recorded", "running", "failed").contains(s.undoState());
  }

  private Future<Boolean> skip(RunRecord run, StepRecord step) {
    return core.store.inTransaction(tx -> tx.updateOwnedRun(run.id(), core.settings.ownerId(), WORK, Columns.set())
        .compose(n -> {
          if (n == 0) {
            return Future.succeededFuture(false);
          }
          tx.record(Events.step(core.system, "step.rollback_skipped", run, step.stepId(), Events.details(
              "reason", "not reversible: the step has no rollback (reversible: false); its effect stays")));
          return tx.updateStep(run.id(), step.stepId(), Columns.set().put("undo_state", "skipped")).map(true);
        }));
  }

  private Future<Boolean> interrupted(RunRecord run, StepRecord step) {
    return stop(run, step, "the undo of step " + step.stepId() + " was interrupted and the step is not idempotent:"
        + " check the target, then roll back again or abort");
  }

  private record Prepared(Optional<Action> real, Optional<String> problem, Step step) {}

  private Future<Boolean> undo(RunRecord run, StepRecord row, List<StepRecord> steps, boolean resumed) {
    return core.blocking(() -> prepare(run, row, steps)).compose(prepared -> {
      if (prepared.problem().isPresent()) {
        return stop(run, row, prepared.problem().get());
      }
      return core.store.inTransaction(tx -> tx.updateOwnedRun(run.id(), core.settings.ownerId(), WORK, Columns.set())
              .compose(n -> {
                if (n == 0) {
                  return Future.succeededFuture(false);
                }
                tx.record(Events.step(core.system, resumed ? "step.rollback_resumed" : "step.rollback_started", run,
                    row.stepId(), Events.details("undo", row.undo().orElse(null),
                        "idempotency_key", row.idempotencyKey())));
                return tx.updateStep(run.id(), row.stepId(), Columns.set().put("undo_state", "running")
                    .nul("undo_error")).map(true);
              }))
          .compose(ours -> ours ? execute(run, row, prepared) : Future.succeededFuture(false));
    });
  }

  private Prepared prepare(RunRecord run, StepRecord row, List<StepRecord> steps) {
    Optional<Runbook> runbook = core.sameRunbook(run);
    if (runbook.isEmpty()) {
      return new Prepared(Optional.empty(), Optional.of("the runbook file changed after the run started; the undo of"
          + " step " + row.stepId() + " is not run: a person must undo it by hand, then abort"), null);
    }
    Step step = runbook.get().step(row.stepId()).orElseThrow();
    if (step.rollback().isEmpty() || row.undoHash().isEmpty()) {
      return new Prepared(Optional.empty(), Optional.of("the undo of step " + row.stepId()
          + " was not recorded before it ran: a person must undo it by hand, then abort"), step);
    }
    StepRenderer.Rendered undo;
    try {
      undo = core.renderer.undo(step, step.rollback().get(), Core.params(run), Core.outputs(steps));
    } catch (RuntimeException e) {
      return new Prepared(Optional.empty(), Optional.of("the undo of step " + row.stepId() + " cannot be rendered: "
          + e.getMessage()), step);
    }
    if (!undo.hash().equals(row.undoHash().get())) {
      return new Prepared(Optional.empty(), Optional.of("the undo of step " + row.stepId() + " renders differently"
          + " now than when it was recorded (a parameter, env value or output changed); it is not run"), step);
    }
    return new Prepared(Optional.of(undo.real()), Optional.empty(), step);
  }

  private Future<Boolean> execute(RunRecord run, StepRecord row, Prepared prepared) {
    Step step = prepared.step();
    ActionContext ctx = ActionContext.of(run.id(), row.stepId(), Math.max(1, row.attempt()), row.idempotencyKey(),
        step.timeout());
    return Attempts.execute(core, step, prepared.real().get(), ctx, retry -> core.store.inTransaction(tx -> {
          tx.record(Events.step(core.system, "step.rollback_attempt_failed", run, row.stepId(), Events.details(
              "try", retry.tryNumber(), "max_tries", retry.maxTries(), "error", retry.failure().getMessage(),
              "retry_in_ms", retry.backoff().toMillis())));
          return tx.updateOwnedRun(run.id(), core.settings.ownerId(), WORK, Columns.set()).map(n -> n == 1);
        }))
        .compose(result -> {
          if (result.succeeded()) {
            var outcome = result.outcome().get();
            return core.store.inTransaction(tx -> tx.updateOwnedRun(run.id(), core.settings.ownerId(), WORK,
                    Columns.set())
                .compose(n -> {
                  if (n == 0) {
                    return Future.succeededFuture(false);
                  }
                  tx.record(Events.step(core.system, "step.rolled_back", run, row.stepId(), Events.details(
                      "summary", outcome.summary(), "output", outcome.output(),
                      "idempotency_key", row.idempotencyKey(), "tries", result.tries())));
                  return tx.updateStep(run.id(), row.stepId(), Columns.set()
                      .put("state", StepState.ROLLED_BACK.dbName()).put("undo_state", "done")
                      .put("undo_output", outcome.output())).map(true);
                }));
          }
          if (result.abandoned()) {
            return Future.succeededFuture(false);
          }
          return stop(run, row, "the undo of step " + row.stepId() + " failed: " + result.failure().get().getMessage()
              + "; check the target, then roll back again or abort");
        });
  }

  /** The rollback cannot go on by itself: the run fails and waits for a person. */
  private Future<Boolean> stop(RunRecord run, StepRecord row, String problem) {
    return core.store.inTransaction(tx -> tx.updateOwnedRun(run.id(), core.settings.ownerId(), WORK,
            RunWork.finished().put("state", RunState.FAILED.dbName()).put("error", problem)
                .put("waiting_for", "a person: " + problem))
        .compose(n -> {
          if (n == 0) {
            return Future.succeededFuture(false);
          }
          tx.record(Events.step(core.system, "rollback.failed", run, row.stepId(), Events.details("error", problem)));
          return tx.updateStep(run.id(), row.stepId(), Columns.set().put("undo_state", "failed")
              .put("undo_error", problem)).map(false);
        }));
  }

  private record Finish(Optional<Settling.Outcome> settled, boolean runbookChanged) {}

  /** The invariants, given time to settle ({@link SettledChecks}); then the run is rolled back, or fails. */
  private Future<Void> finish(RunRecord run) {
    return core.blocking(() -> {
      Optional<Runbook> runbook = core.sameRunbook(run);
      if (runbook.isEmpty()) {
        return new Finish(Optional.empty(), true);
      }
      var renderer = core.renderer.renderer(Core.params(run), Map.of());
      return new Finish(Optional.of(SettledChecks.run(core, run, WORK, "invariant",
          core.renderer.checks(runbook.get().invariants(), "/invariants", renderer))), false);
    }).compose(finish -> {
      if (finish.settled().map(Settling.Outcome::stopped).orElse(false)) {
        return Future.succeededFuture();
      }
      return core.store.inTransaction(tx -> {
        String problem = finish.runbookChanged()
            ? "the runbook file changed during the rollback; its invariants were not checked"
            : SettledChecks.problem(core, "after the rollback, invariant", finish.settled().get()).orElse(null);
        Columns set = RunWork.finished();
        if (problem == null) {
          set.put("state", RunState.ROLLED_BACK.dbName()).nul("waiting_for").now("finished_at");
        } else {
          set.put("state", RunState.FAILED.dbName()).put("error", problem).put("waiting_for", "a person: " + problem);
        }
        return tx.updateOwnedRun(run.id(), core.settings.ownerId(), WORK, set).compose(n -> {
          if (n == 0) {
            return Future.succeededFuture();
          }
          tx.record(Events.run(core.system, problem == null ? "run.rolled_back" : "run.failed", run,
              Events.details("error", problem)));
          return finish.settled().isEmpty() ? Future.<Void>succeededFuture()
              : SettledChecks.record(core, tx, run, "invariant", finish.settled().get());
        });
      });
    });
  }
}
