package dev.rebound.runbook;

/** One family of lint checks; rules are independent and may run in any order. */
interface LintRule {
  void check(Runbook runbook, LintContext context, Findings out);
}
