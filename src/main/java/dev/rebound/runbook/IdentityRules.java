package dev.rebound.runbook;

import java.util.HashMap;
import java.util.Map;

/** The file is named after its id, and step ids are unique (templates and runs name steps by id). */
final class IdentityRules implements LintRule {
  @Override
  public void check(Runbook runbook, LintContext context, Findings out) {
    runbook.path().ifPresent(path -> {
      String expected = runbook.id() + ".yaml";
      String actual = path.getFileName().toString();
      if (!actual.equals(expected)) {
        out.error("/id", "id '" + runbook.id() + "' does not match the file name '" + actual + "' (expected " + expected + ")");
      }
    });
    Map<String, Step> seen = new HashMap<>();
    for (Step step : runbook.steps()) {
      Step first = seen.putIfAbsent(step.id(), step);
      if (first != null) {
        int line = runbook.source().position(first.pointer() + "/id").line();
        out.error(step.pointer() + "/id", "duplicate step id '" + step.id() + "' (first used at line " + line + ")");
      }
    }
  }
}
