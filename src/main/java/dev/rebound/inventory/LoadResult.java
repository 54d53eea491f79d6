package dev.rebound.inventory;

import dev.rebound.yaml.YamlProblem;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Either a loaded model or every problem found, never both: {@code lint} wants all the problems
 * at once, the service wants the model or a clear refusal to start ({@link #orElseThrow()}).
 */
public final class LoadResult<T> {
  private final T value;
  private final List<YamlProblem> problems;

  private LoadResult(T value, List<YamlProblem> problems) {
    this.value = value;
    this.problems = List.copyOf(problems);
  }

  public static <T> LoadResult<T> ok(T value) {
    return new LoadResult<>(Objects.requireNonNull(value, "value"), List.of());
  }

  public static <T> LoadResult<T> failed(List<YamlProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a failed load needs at least one problem");
    }
    return new LoadResult<>(null, problems);
  }

  public boolean isLoaded() {
    return value != null;
  }

  /** Empty when the load failed. */
  public Optional<T> value() {
    return Optional.ofNullable(value);
  }

  /** Each file's problems in line and column order; empty when the load succeeded. */
  public List<YamlProblem> problems() {
    return problems;
  }

  /** @throws InvalidKnowledgeException carrying every problem */
  public T orElseThrow() {
    if (value == null) {
      throw new InvalidKnowledgeException(problems);
    }
    return value;
  }
}
