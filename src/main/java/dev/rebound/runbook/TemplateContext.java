package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What templates resolve against: bound parameters (typed), the env variables the
 * configuration allows ({@code template_env}; pass only those), which of them are secret, and
 * the outputs of steps that have run (step id → JSON object of output fields).
 */
public record TemplateContext(
    Map<String, JsonNode> params, Map<String, String> env, Set<String> secretEnv, Map<String, JsonNode> stepOutputs) {

  public TemplateContext {
    params = Map.copyOf(params);
    env = Map.copyOf(env);
    secretEnv = Set.copyOf(secretEnv);
    stepOutputs = Map.copyOf(stepOutputs);
  }

  public static TemplateContext of(Map<String, JsonNode> params, Map<String, String> env, Set<String> secretEnv) {
    return new TemplateContext(params, env, secretEnv, Map.of());
  }

  /** A copy that also knows {@code stepId}'s output, e.g. after the engine ran that step. */
  public TemplateContext withStepOutput(String stepId, JsonNode output) {
    Map<String, JsonNode> outputs = new HashMap<>(stepOutputs);
    outputs.put(stepId, output.deepCopy());
    return new TemplateContext(params, env, secretEnv, outputs);
  }
}
