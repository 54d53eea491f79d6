package dev.rebound.drill;

import dev.rebound.runbook.ParamSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a scenario may name, for the loader to check: the demo's faults, runbooks with their
 * parameters, and asset ids. An empty set or map means "unknown here, do not check".
 */
public record ScenarioRefs(Set<String> faults, Map<String, List<ParamSpec>> runbookParams, Set<String> assets) {
  public ScenarioRefs {
    faults = Set.copyOf(faults);
    runbookParams = Map.copyOf(runbookParams);
    assets = Set.copyOf(assets);
  }

  public static ScenarioRefs unchecked() {
    return new ScenarioRefs(Set.of(), Map.of(), Set.of());
  }
}
