package dev.rebound.error;

import java.util.List;

/**
 * The input was understood but is not acceptable; carries every problem found, not just the
 * first, so a caller can fix them all at once. {@link #getMessage()} is the first problem (plus
 * a count), the full list is {@link #problems()}.
 */
public class ValidationException extends ReboundException {
  private final List<String> problems;

  public ValidationException(List<String> problems) {
    this("invalid_request", problems);
  }

  public ValidationException(String problem) {
    this(List.of(problem));
  }

  /** For subclasses that need their own code (e.g. {@code invalid_config}). */
  protected ValidationException(String code, List<String> problems) {
    super(code, summary(problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  private static String summary(List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ValidationException needs at least one problem");
    }
    return problems.size() == 1
        ? problems.get(0)
        : problems.get(0) + " (and " + (problems.size() - 1) + " more)";
  }
}
