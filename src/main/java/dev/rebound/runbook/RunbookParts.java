package dev.rebound.runbook;

import java.util.List;

/**
 * Walks the actions and checks of a runbook with their JSON Pointers, and says which step
 * outputs each place may use. Order matters for templates: an action runs before its own step
 * has output; verify and rollback run after it; preconditions before any step; invariants after
 * every step (so no output is certain to exist); validation at the end.
 */
final class RunbookParts {
  /** Where a check sits; decides which step outputs its templates may use. */
  enum Section {
    PRECONDITION,
    VERIFY,
    INVARIANT,
    VALIDATION
  }

  interface ActionVisitor {
    void visit(String pointer, Action action, Step step, boolean isRollback);
  }

  interface CheckVisitor {
    void visit(String pointer, Check check, Section section, Step stepOrNull);
  }

  private RunbookParts() {}

  static void actions(Runbook runbook, ActionVisitor visitor) {
    for (Step step : runbook.steps()) {
      visitor.visit(step.pointer() + "/action", step.action(), step, false);
      step.rollback().ifPresent(r -> visitor.visit(step.pointer() + "/rollback", r, step, true));
    }
  }

  static void checks(Runbook runbook, CheckVisitor visitor) {
    list(runbook.preconditions(), "/preconditions", Section.PRECONDITION, null, visitor);
    for (Step step : runbook.steps()) {
      list(step.verify(), step.pointer() + "/verify", Section.VERIFY, step, visitor);
    }
    list(runbook.invariants(), "/invariants", Section.INVARIANT, null, visitor);
    list(runbook.validation(), "/validation", Section.VALIDATION, null, visitor);
  }

  private static void list(List<Check> checks, String pointer, Section section, Step step, CheckVisitor visitor) {
    for (int i = 0; i < checks.size(); i++) {
      visitor.visit(pointer + "/" + i, checks.get(i), section, step);
    }
  }
}
