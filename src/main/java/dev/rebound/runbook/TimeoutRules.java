package dev.rebound.runbook;

import java.util.Optional;

/**
 * A {@code wait} (as the action or the rollback) longer than its step's timeout: the engine fails
 * such a step at once rather than cut the wait short, so every run would fail there. Found here,
 * at lint time, instead of in the middle of a recovery.
 */
final class TimeoutRules implements LintRule {
  @Override
  public void check(Runbook runbook, LintContext context, Findings out) {
    for (Step step : runbook.steps()) {
      checkWait(step, Optional.of(step.action()), "/action", out);
      checkWait(step, step.rollback(), "/rollback", out);
    }
  }

  private static void checkWait(Step step, Optional<Action> action, String where, Findings out) {
    if (action.isPresent() && action.get() instanceof Action.Wait wait
        && wait.duration().compareTo(step.timeout()) > 0) {
      out.error(step.pointer() + where + "/duration", "step '" + step.id() + "': waits "
          + Durations.format(wait.duration()) + ", longer than the step's timeout "
          + Durations.format(step.timeout()) + " (a run would fail this step at once); raise 'timeout'");
    }
  }
}
