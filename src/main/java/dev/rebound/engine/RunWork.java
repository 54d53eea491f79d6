package dev.rebound.engine;

import dev.rebound.engine.check.CheckContext;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.engine.check.Settling;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work a run needs without a person: its preconditions, its final validation, and a rollback.
 * Claimed with the run's lease ({@code runs.work}, {@code lease_owner}, {@code lease_until}), so
 * one instance does it and another resumes it when the lease expires; every result is written
 * only while the lease is still held for that same work.
 */
final class RunWork {
  private static final Logger LOG = LoggerFactory.getLogger(RunWork.class);

  private final Core core;
  private final Rollback rollback;

  RunWork(Core core) {
    this.core = core;
    this.rollback = new Rollback(core);
  }

  /** Claims and does the run's owed work, if any and unclaimed; completes when done or not ours. */
  Future<Void> run(String runId) {
    String owner = core.settings.ownerId();
    return core.store.inTransaction(tx -> tx.claimWork(runId, owner, core.settings.lease()))
        .compose(claimed -> {
          if (claimed.isEmpty() || claimed.get().work().isEmpty()) {
            return Future.succeededFuture();
          }
          RunRecord run = claimed.get();
          String work = run.work().get();
          Runnable stop = Attempts.keepAlive(core, lease -> core.store.renewRunLease(runId, owner, work, lease));
          Future<Void> done = switch (work) {
            case "preconditions" -> preconditions(run);
            case "validation" -> validation(run);
            case "rollback" -> rollback.run(run);
            default -> Future.failedFuture(new IllegalStateException("unknown run work " + work));
          };
          return done.onComplete(r -> stop.run());
        })
        .onFailure(e -> LOG.warn("work on run {} failed: {}", runId, e.toString()));
  }

  private record PreconditionOutcome(Optional<Runbook> runbook, List<CheckResult> results,
      Optional<StepRenderer.Rendered> first, Optional<String> renderError) {}

  private Future<Void> preconditions(RunRecord run) {
    return core.blocking(() -> {
      Optional<Runbook> runbook = core.sameRunbook(run);
      if (runbook.isEmpty()) {
        return new PreconditionOutcome(runbook, List.of(), Optional.empty(), Optional.empty());
      }
      Runbook rb = runbook.get();
      var renderer = core.renderer.renderer(Core.params(run), Map.of());
      List<CheckResult> results = Checks.runAll(core,
          core.renderer.checks(rb.preconditions(), "/preconditions", renderer), CheckContext.DEFAULT_TIMEOUT);
      try {
        return new PreconditionOutcome(runbook, results,
            Optional.of(core.renderer.action(rb.steps().get(0), Core.params(run), Map.of())), Optional.empty());
      } catch (RuntimeException e) {
        return new PreconditionOutcome(runbook, results, Optional.empty(), Optional.of(e.getMessage()));
      }
    }).compose(outcome -> core.store.inTransaction(tx -> {
      String owner = core.settings.ownerId();
      if (outcome.runbook().isEmpty()) {
        tx.record(Events.run(core.system, "run.blocked", run, Events.details("reason", Waiting.runbookChanged())));
        return tx.updateOwnedRun(run.id(), owner, "preconditions", finished().put("waiting_for",
            Waiting.runbookChanged())).compose(n -> n == 0 ? lost(run) : Future.succeededFuture());
      }
      return tx.updateOwnedRun(run.id(), owner, "preconditions", finished()).compose(n -> {
        if (n == 0) {
          return lost(run);
        }
        Runbook rb = outcome.runbook().get();
        Step first = rb.steps().get(0);
        List<String> failed = outcome.results().stream().filter(r -> !r.passed()).map(CheckResult::name).toList();
        return Checks.record(core, tx, run, Optional.empty(), "precondition", 0, outcome.results()).compose(v -> {
          if (!failed.isEmpty()) {
            tx.record(Events.run(core.system, "run.blocked", run, Events.details("failed_preconditions", failed)));
            return tx.updateRun(run.id(), Columns.set().put("waiting_for", Waiting.preconditionsFailed(failed)))
                .mapEmpty();
          }
          if (outcome.first().isEmpty()) {
            return StepTransitions.failUnrendered(core, tx, run, first.id(), outcome.renderError().orElse("?"));
          }
          return StepTransitions.toAwaiting(core, tx, run, first, 1, outcome.first().get());
        });
      });
    }));
  }

  private record ValidationOutcome(Optional<Runbook> runbook, Optional<Settling.Outcome> settled) {}

  /** The final checks, given time to settle ({@link SettledChecks}); then the run succeeds or fails. */
  private Future<Void> validation(RunRecord run) {
    return core.store.steps(run.id())
        .compose(steps -> core.blocking(() -> {
          Optional<Runbook> runbook = core.sameRunbook(run);
          if (runbook.isEmpty()) {
            return new ValidationOutcome(runbook, Optional.empty());
          }
          var renderer = core.renderer.renderer(Core.params(run), Core.outputs(steps));
          return new ValidationOutcome(runbook, Optional.of(SettledChecks.run(core, run, "validation", "validation",
              core.renderer.checks(runbook.get().validation(), "/validation", renderer))));
        }))
        .compose(outcome -> {
          if (outcome.settled().map(Settling.Outcome::stopped).orElse(false)) {
            return lost(run);
          }
          return core.store.inTransaction(tx -> {
            String error = outcome.runbook().isEmpty()
                ? "the runbook file changed during the run; validation was not run"
                : SettledChecks.problem(core, "validation check", outcome.settled().get()).orElse(null);
            Columns set = finished();
            if (error == null) {
              set.put("state", RunState.SUCCEEDED.dbName()).nul("waiting_for").now("finished_at");
            } else {
              set.put("state", RunState.FAILED.dbName()).put("error", error)
                  .put("waiting_for", "a person: " + error + "; roll back or abort");
            }
            return tx.updateOwnedRun(run.id(), core.settings.ownerId(), "validation", set).compose(n -> {
              if (n == 0) {
                return lost(run);
              }
              tx.record(Events.run(core.system, error == null ? "run.succeeded" : "run.failed", run,
                  Events.details("error", error)));
              return outcome.settled().isEmpty() ? Future.<Void>succeededFuture()
                  : SettledChecks.record(core, tx, run, "validation", outcome.settled().get());
            });
          });
        });
  }

  /** Columns that end the run's current work and release its lease. */
  static Columns finished() {
    return Columns.set().nul("work").nul("lease_owner").nul("lease_until");
  }

  private static Future<Void> lost(RunRecord run) {
    LOG.info("run {}: its work lease is no longer ours; leaving it", run.id());
    return Future.succeededFuture();
  }
}
