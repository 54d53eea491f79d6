package dev.rebound.runbook;

import dev.rebound.yaml.YamlProblem;

/**
 * One lint result. Errors fail {@code rebound lint} (exit 1) and print as
 * {@code file:line:col: message}; warnings print as {@code file:line:col: warning: message} and
 * do not fail.
 */
public record LintFinding(Severity severity, YamlProblem problem) {
  public enum Severity {
    ERROR,
    WARNING
  }

  public static LintFinding error(YamlProblem problem) {
    return new LintFinding(Severity.ERROR, problem);
  }

  public static LintFinding warning(YamlProblem problem) {
    return new LintFinding(Severity.WARNING, problem);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    if (isError()) {
      return problem.toString();
    }
    YamlProblem p = problem;
    return p.file() + ":" + p.position().line() + ":" + p.position().column() + ": warning: " + p.message();
  }
}
