package dev.rebound.runbook;

import dev.rebound.error.ValidationException;
import dev.rebound.yaml.YamlProblem;
import java.util.List;

/**
 * A runbook file could not be loaded. {@link #problems()} has one {@code file:line:col: message}
 * line each; {@link #positionedProblems()} keeps the positions apart.
 */
public final class InvalidRunbookException extends ValidationException {
  private final List<YamlProblem> positioned;

  public InvalidRunbookException(List<YamlProblem> problems) {
    super("invalid_runbook", problems.stream().map(YamlProblem::toString).toList());
    this.positioned = List.copyOf(problems);
  }

  public List<YamlProblem> positionedProblems() {
    return positioned;
  }
}
