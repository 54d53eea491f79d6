package dev.rebound.incident;

import dev.rebound.error.ValidationException;
import dev.rebound.yaml.YamlProblem;
import java.util.List;

/**
 * An incident file or request did not validate. For files every problem is
 * {@code file:line:col: message} ({@link #positionedProblems()}); for API requests the
 * positions are empty and the problems name the field.
 */
public final class InvalidIncidentException extends ValidationException {
  private final List<YamlProblem> positioned;

  public InvalidIncidentException(List<YamlProblem> problems) {
    super("invalid_incident", problems.stream().map(YamlProblem::toString).toList());
    this.positioned = List.copyOf(problems);
  }

  private InvalidIncidentException(List<String> problems, boolean unpositioned) {
    super("invalid_incident", problems);
    this.positioned = List.of();
  }

  public static InvalidIncidentException ofFields(List<String> problems) {
    return new InvalidIncidentException(problems, true);
  }

  public List<YamlProblem> positionedProblems() {
    return positioned;
  }
}
