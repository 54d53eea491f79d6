package dev.rebound.drill;

import dev.rebound.yaml.YamlProblem;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The scenarios of a drills directory that loaded, and the problems of those that did not. */
public record ScenarioCatalog(List<Scenario> scenarios, List<YamlProblem> problems) {
  public ScenarioCatalog {
    scenarios = scenarios.stream().sorted(Comparator.comparing(Scenario::id)).toList();
    problems = List.copyOf(problems);
  }

  public Optional<Scenario> get(String id) {
    return scenarios.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public List<String> ids() {
    return scenarios.stream().map(Scenario::id).toList();
  }
}
