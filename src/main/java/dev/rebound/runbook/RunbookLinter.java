package dev.rebound.runbook;

import dev.rebound.yaml.YamlProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * Semantic lint: everything the JSON Schema cannot express (the "Lint" list of
 * docs/runbook-format.md) plus warnings that do not fail. Pure and thread-safe; reads the
 * scripts directory only. Findings come sorted by position.
 */
public final class RunbookLinter {
  private final List<LintRule> rules =
      List.of(
          new IdentityRules(),
          new ReferenceRules(),
          new TemplateRules(),
          new SafetyRules(),
          new TimeoutRules(),
          new CommandRules(),
          new DriftRules(),
          new ParamRules());

  public List<LintFinding> lint(Runbook runbook, LintContext context) {
    Findings findings = new Findings(runbook.source());
    for (LintRule rule : rules) {
      rule.check(runbook, context, findings);
    }
    return findings.sorted();
  }

  /** Loads and lints one file: load problems (syntax, schema) are errors, lint runs only on a loaded file. */
  public List<LintFinding> lint(LoadResult loaded, LintContext context) {
    if (loaded.isLoaded()) {
      return lint(loaded.runbook().orElseThrow(), context);
    }
    List<LintFinding> out = new ArrayList<>();
    for (YamlProblem problem : loaded.problems()) {
      out.add(LintFinding.error(problem));
    }
    return out;
  }

  public static boolean hasErrors(List<LintFinding> findings) {
    return findings.stream().anyMatch(LintFinding::isError);
  }
}
