package dev.rebound.yaml;

/** One problem found in a YAML file, at a position, ready to print as {@code file:line:col: message}. */
public record YamlProblem(String file, SourcePosition position, String message) {
  @Override
  public String toString() {
    return file + ":" + position.line() + ":" + position.column() + ": " + message;
  }
}
