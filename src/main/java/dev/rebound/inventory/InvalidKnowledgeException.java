package dev.rebound.inventory;

import dev.rebound.error.ValidationException;
import dev.rebound.yaml.YamlProblem;
import java.util.List;

/**
 * A knowledge file did not load. {@link #problems()} has one {@code file:line:col: message} line
 * each; {@link #positionedProblems()} keeps the positions apart (as the runbook loader's
 * {@code InvalidRunbookException} does).
 */
public final class InvalidKnowledgeException extends ValidationException {
  private final List<YamlProblem> positioned;

  public InvalidKnowledgeException(List<YamlProblem> problems) {
    super("invalid_knowledge", problems.stream().map(YamlProblem::toString).toList());
    this.positioned = List.copyOf(problems);
  }

  public List<YamlProblem> positionedProblems() {
    return positioned;
  }
}
