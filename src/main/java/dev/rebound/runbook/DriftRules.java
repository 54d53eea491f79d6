package dev.rebound.runbook;

/**
 * A drift check's {@code bins} with {@code method: ks}: the KS statistic compares the samples
 * themselves, so the bins are ignored (the plan leaves them out) while the author believes they
 * shape the check.
 */
final class DriftRules implements LintRule {
  @Override
  public void check(Runbook runbook, LintContext context, Findings out) {
    RunbookParts.checks(runbook, (pointer, check, section, step) -> {
      if (check instanceof Check.Drift drift && !drift.method().equals("psi") && drift.raw().has("bins")) {
        out.warningAtKey(pointer + "/bins", Json.displayPath(pointer) + ": 'bins' applies to method psi only;"
            + " method " + drift.method() + " ignores it");
      }
    });
  }
}
