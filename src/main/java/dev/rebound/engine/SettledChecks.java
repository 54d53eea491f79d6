package dev.rebound.engine;

import dev.rebound.engine.check.CheckContext;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.engine.check.Settling;
import dev.rebound.runbook.Check;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Checks that run after a change, given time to settle (see {@link Settling}): a service needs a
 * moment after a rollback or a model load, so failing checks are re-run every
 * {@code engine.settle_interval} until they pass or {@code engine.settle_window} has passed. That
 * holds for a step's verify and the invariants after it, the run's final validation and the
 * invariants after a rollback: all are read-only and judge a change already made, so waiting only
 * delays the verdict. Preconditions never settle: they decide, before anything runs, whether
 * anything may run, and a person re-checks them.
 *
 * <p>Each attempt followed by another is recorded at once, in a transaction that also proves this
 * instance still holds the step or the run's work: one audit entry ({@code step.checks_settling},
 * {@code run.checks_settling}) with every result of the attempt, and for run checks their rows in
 * {@code run_checks} (attempt 0, 1, …, each at its check's position; a step's rows keep the step's
 * attempt, so only its verdict is stored there). A lost lease stops the settling: whoever holds the
 * work now decides. The last attempt is recorded by the caller, with the verdict.
 */
final class SettledChecks {
  static final String SETTLING = "run.checks_settling";
  static final String STEP_SETTLING = "step.checks_settling";
  private static final long RECORD_TIMEOUT_S = 30;

  private SettledChecks() {}

  /** Blocking (a worker): runs the rendered checks until they pass or the window closes. */
  static Settling.Outcome run(Core core, RunRecord run, String work, String phase, List<Check> rendered) {
    Settling.Pass pass = selected -> {
      List<Settling.Indexed> results = new ArrayList<>();
      for (int i = 0; i < rendered.size(); i++) {
        if (selected.test(i)) {
          results.add(new Settling.Indexed(i, core.checks.run(rendered.get(i), CheckContext.withDefaultTimeout())));
        }
      }
      return results;
    };
    return Settling.settle(pass, core.settle,
        (attempt, results, failing, retryIn) -> recordAttempt(core, run, work, phase, attempt, results, failing, retryIn));
  }

  /** A step's settled checks: the newest result of each, verify and invariants apart. */
  record StepVerdict(List<CheckResult> verify, List<CheckResult> invariants) {}

  /**
   * Blocking (a worker): the step's verify checks, and the runbook's invariants when every verify
   * check of the same pass passed, until all pass or the window closes.
   */
  static StepVerdict step(Core core, RunRecord run, String stepId, int stepAttempt, List<Check> verify,
      List<Check> invariants, Duration verifyTimeout) {
    List<Check> all = new ArrayList<>(verify);
    all.addAll(invariants);
    int n = verify.size();
    Settling.Pass pass = selected -> {
      List<Settling.Indexed> results = new ArrayList<>();
      boolean verified = true;
      for (int i = 0; i < all.size(); i++) {
        if (i >= n && !verified) {
          break; // invariants only after a passing verify, as without settling
        }
        if (selected.test(i)) {
          CheckResult r = core.checks.run(all.get(i), CheckContext.of(i < n ? verifyTimeout : CheckContext.DEFAULT_TIMEOUT));
          verified &= r.passed() || i >= n;
          results.add(new Settling.Indexed(i, r));
        }
      }
      return results;
    };
    Settling.Outcome outcome = Settling.settle(pass, core.settle, (attempt, results, failing, retryIn) -> {
      List<Map<String, Object>> seen = results.stream().map(r -> Events.details("phase",
          r.index() < n ? "verify" : "invariant", "name", r.result().name(), "passed", r.result().passed(),
          "observed", r.result().observed(), "message", r.result().message())).toList();
      return await(run, "verify", core.store.inTransaction(tx ->
          tx.updateOwnedStep(run.id(), stepId, core.settings.ownerId(), Columns.set()).map(rows -> {
            if (rows == 0) {
              return false;
            }
            tx.record(Events.step(core.system, STEP_SETTLING, run, stepId, Events.details("attempt", stepAttempt,
                "recheck", attempt, "results", seen, "still_failing", failing.size(),
                "retry_in_ms", retryIn.toMillis(), "settle_window_ms", core.settle.window().toMillis())));
            return true;
          })));
    });
    List<CheckResult> verified = new ArrayList<>();
    List<CheckResult> checked = new ArrayList<>();
    outcome.latest().forEach(r -> (r.index() < n ? verified : checked).add(r.result()));
    return new StepVerdict(verified, Checks.firstFailed(verified).isPresent() ? List.of() : checked);
  }

  private static boolean recordAttempt(Core core, RunRecord run, String work, String phase, int attempt,
      List<Settling.Indexed> results, Set<Integer> failing, Duration retryIn) {
    List<Map<String, Object>> seen = results.stream().map(r -> Events.details("name", r.result().name(),
        "passed", r.result().passed(), "observed", r.result().observed(), "message", r.result().message())).toList();
    Future<Boolean> recorded = core.store.inTransaction(tx ->
        tx.updateOwnedRun(run.id(), core.settings.ownerId(), work, Columns.set()).compose(n -> {
          if (n == 0) {
            return Future.succeededFuture(false);
          }
          tx.record(Events.run(core.system, SETTLING, run, Events.details("phase", phase, "attempt", attempt,
              "results", seen, "still_failing", failing.size(), "retry_in_ms", retryIn.toMillis(),
              "settle_window_ms", core.settle.window().toMillis())));
          return insert(tx, run, phase, attempt, results).map(true);
        }));
    return await(run, phase, recorded);
  }

  /**
   * Blocks this engine worker until the attempt is recorded. Vert.x refuses {@code Future.await} on
   * its worker threads; the transaction completes on an event loop, so waiting here cannot deadlock.
   */
  private static boolean await(RunRecord run, String phase, Future<Boolean> recorded) {
    try {
      return recorded.toCompletionStage().toCompletableFuture().get(RECORD_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("run " + run.id() + ": recording a " + phase + " re-check took over "
          + RECORD_TIMEOUT_S + "s", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("run " + run.id() + ": recording a " + phase + " re-check failed: "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording a " + phase + " re-check", e);
    }
  }

  /** Records the last attempt: one audit entry per check, as for any check, and its rows. */
  static Future<Void> record(Core core, RunTx tx, RunRecord run, String phase, Settling.Outcome outcome) {
    for (Settling.Indexed i : outcome.last()) {
      CheckResult r = i.result();
      tx.record(Events.run(core.system, r.passed() ? "check.passed" : "check.failed", run, Events.details(
          "phase", phase, "kind", r.kind(), "name", r.name(), "observed", r.observed(), "expected", r.expected(),
          "message", r.message(), "duration_ms", r.durationMs(), "attempt", outcome.attempt())));
      core.metrics.check(phase, r.kind(), r.passed());
    }
    return insert(tx, run, phase, outcome.attempt(), outcome.last());
  }

  /** Why the run fails, from the newest result of the first check still failing; empty when all passed. */
  static Optional<String> problem(Core core, String what, Settling.Outcome outcome) {
    return outcome.firstFailing().map(r -> what + " " + Checks.describe(r)
        + (outcome.attempt() == 0 ? "" : " (still failing after " + outcome.attempt() + " re-check"
            + (outcome.attempt() == 1 ? "" : "s") + " within " + seconds(core.settle.window()) + ")"));
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static Future<Void> insert(RunTx tx, RunRecord run, String phase, int attempt,
      List<Settling.Indexed> results) {
    return tx.insertChecks(run.id(), Optional.empty(), phase, attempt,
        results.stream().map(Settling.Indexed::index).toList(),
        results.stream().map(Settling.Indexed::result).toList());
  }
}
