package dev.rebound.runbook;

import dev.rebound.yaml.YamlProblem;
import java.util.List;
import java.util.Optional;

/** Either a loaded runbook or the problems that stopped it loading (never both, never neither). */
public record LoadResult(Optional<Runbook> runbook, List<YamlProblem> problems) {
  public LoadResult {
    problems = List.copyOf(problems);
    if (runbook.isPresent() == !problems.isEmpty()) {
      throw new IllegalArgumentException("a load result has a runbook or problems");
    }
  }

  static LoadResult loaded(Runbook runbook) {
    return new LoadResult(Optional.of(runbook), List.of());
  }

  static LoadResult failed(List<YamlProblem> problems) {
    return new LoadResult(Optional.empty(), problems);
  }

  public boolean isLoaded() {
    return runbook.isPresent();
  }

  /**
   * @throws InvalidRunbookException carrying the problems
   */
  public Runbook orElseThrow() {
    return runbook.orElseThrow(() -> new InvalidRunbookException(problems));
  }
}
