package dev.rebound.drill;

import java.util.Map;
import java.util.Set;

/**
 * What a scenario may name, for the loader to check: the demo's faults, runbooks with their
 * parameter names, and asset ids. An empty set or map means "unknown here, do not check".
 */
public record ScenarioRefs(Set<String> faults, Map<String, Set<String>> runbookParams, Set<String> assets) {
  public ScenarioRefs {
    faults = Set.copyOf(faults);
    runbookParams = Map.copyOf(runbookParams);
    assets = Set.copyOf(assets);
  }

  public static ScenarioRefs unchecked() {
    return new ScenarioRefs(Set.of(), Map.of(), Set.of());
  }
}
