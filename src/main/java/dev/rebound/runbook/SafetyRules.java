package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Undo and approval hygiene. A mutating step must say how it is undone ({@code rollback}) or
 * say that it cannot be ({@code reversible: false}): an undo that was simply forgotten is found
 * here, not halfway through a failed recovery. The warnings flag what is legal but risky.
 */
final class SafetyRules implements LintRule {
  @Override
  public void check(Runbook runbook, LintContext context, Findings out) {
    for (Step step : runbook.steps()) {
      JsonNode node = runbook.source().root().at(step.pointer());
      String p = step.pointer();
      String who = "step '" + step.id() + "': ";
      boolean saysIrreversible = step.reversible().filter(r -> !r).isPresent();
      if (step.isMutating() && step.rollback().isEmpty() && !saysIrreversible) {
        if (step.reversible().isPresent()) {
          out.error(p + "/reversible", who + "'reversible: true' needs a 'rollback' action");
        } else {
          out.error(p, who + "changes state (" + describe(step.action()) + ") but has no 'rollback'; add one or declare 'reversible: false'");
        }
      }
      if (step.rollback().isPresent() && saysIrreversible) {
        out.error(p + "/reversible", who + "'reversible: false' contradicts its 'rollback'");
      }
      if (saysIrreversible && !step.isMutating()) {
        out.warning(p + "/reversible", who + "'reversible: false' on a step that changes nothing");
      }
      if (step.risk() == Risk.HIGH && step.verify().isEmpty()) {
        out.warning(p + "/risk", who + "high-risk step without verify checks; nothing confirms it worked");
      }
      boolean runsCommand = step.action() instanceof Action.Command
          || step.rollback().filter(r -> r instanceof Action.Command).isPresent();
      if (runsCommand && !node.has("timeout")) {
        out.warning(p + "/action", who + "runs a command without a 'timeout' (the default "
            + Durations.format(Step.DEFAULT_TIMEOUT) + " applies)");
      }
      if (step.retries().max() > 0 && !step.idempotent()) {
        out.warning(p + "/retries", who + "retries a step that is not idempotent; a retry may repeat its effect");
      }
    }
    if (runbook.validation().isEmpty()) {
      out.warning("", "no validation checks: a run cannot show that anything recovered");
    }
  }

  private static String describe(Action action) {
    if (action instanceof Action.Http http) {
      return "http " + http.method();
    }
    return action.type() + " action";
  }
}
