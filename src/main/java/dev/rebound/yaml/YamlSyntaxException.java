package dev.rebound.yaml;

/** The file is not well-formed YAML (or not a single mapping); carries where the parser gave up. */
public final class YamlSyntaxException extends Exception {
  private final YamlProblem problem;

  public YamlSyntaxException(YamlProblem problem) {
    super(problem.toString());
    this.problem = problem;
  }

  public YamlProblem problem() {
    return problem;
  }
}
