package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One declared parameter: its JSON Schema and what the CLI, console and agent tools need to
 * ask for it. {@code type} is one of {@code string}, {@code integer}, {@code number},
 * {@code boolean} (the runbook schema enforces it, so {@code k=v} strings can be coerced).
 */
public record ParamSpec(String name, String type, Optional<String> description, Optional<JsonNode> defaultValue, JsonNode schema) {
  public ParamSpec {
    schema = schema.deepCopy();
  }

  static ParamSpec of(String name, JsonNode schema) {
    JsonNode def = schema.get("default");
    return new ParamSpec(
        name,
        schema.path("type").asText("string"),
        Json.text(schema, "description"),
        def == null ? Optional.empty() : Optional.of(def.deepCopy()),
        schema);
  }

  /** A parameter is required unless its schema has a default. */
  public boolean required() {
    return defaultValue.isEmpty();
  }

  @Override
  public JsonNode schema() {
    return schema.deepCopy();
  }
}
