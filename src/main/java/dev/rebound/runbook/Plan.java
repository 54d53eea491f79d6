package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dry run of a runbook version with real parameters: everything a person needs to decide,
 * nothing executed. {@link #toJson()} is the API shape, {@link #toText()} what the CLI prints.
 */
public record Plan(
    String runbookId,
    int version,
    String title,
    String contentHash,
    Map<String, JsonNode> params,
    List<PlanCheck> preconditions,
    List<PlanStep> steps,
    List<PlanCheck> invariants,
    List<PlanCheck> validation,
    Map<String, ParamSpec.Choices> choices) {

  public Plan {
    Map<String, JsonNode> copy = new LinkedHashMap<>();
    params.forEach((k, v) -> copy.put(k, v.deepCopy()));
    params = Collections.unmodifiableMap(copy);
    preconditions = List.copyOf(preconditions);
    steps = List.copyOf(steps);
    invariants = List.copyOf(invariants);
    validation = List.copyOf(validation);
    choices = Collections.unmodifiableMap(new LinkedHashMap<>(choices));
  }

  public ObjectNode toJson() {
    return PlanJson.of(this);
  }

  public String toText() {
    return PlanText.of(this);
  }
}
