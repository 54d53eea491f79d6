package dev.rebound.engine;

import dev.rebound.engine.check.CheckContext;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.runbook.Check;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Running a list of rendered checks, and recording their results with one audit entry each. */
final class Checks {
  private Checks() {}

  /** Blocking: runs every check (they are read-only), in order, each within {@code timeout}. */
  static List<CheckResult> runAll(Core core, List<Check> rendered, Duration timeout) {
    List<CheckResult> results = new ArrayList<>();
    for (Check check : rendered) {
      results.add(core.checks.run(check, CheckContext.of(timeout)));
    }
    return results;
  }

  static Future<Void> record(Core core, RunTx tx, RunRecord run, Optional<String> stepId, String phase, int attempt,
      List<CheckResult> results) {
    for (CheckResult r : results) {
      var details = Events.details("phase", phase, "kind", r.kind(), "name", r.name(), "observed", r.observed(),
          "expected", r.expected(), "message", r.message(), "duration_ms", r.durationMs());
      String action = r.passed() ? "check.passed" : "check.failed";
      tx.record(stepId.isPresent()
          ? Events.step(core.system, action, run, stepId.get(), details)
          : Events.run(core.system, action, run, details));
      core.metrics.check(phase, r.kind(), r.passed());
    }
    return tx.insertChecks(run.id(), stepId, phase, attempt, results);
  }

  static Optional<CheckResult> firstFailed(List<CheckResult> results) {
    return results.stream().filter(r -> !r.passed()).findFirst();
  }

  static String describe(CheckResult r) {
    return "'" + r.name() + "': " + r.message();
  }
}
