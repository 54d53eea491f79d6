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

  /**
   * Where candidate values come from, when the schema says ({@code choices}, Rebound's own
   * keyword: JSON Schema validation ignores it): a read-only query whose first column is the value.
   */
  public Optional<Choices> choices() {
    JsonNode node = schema.get("choices");
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    return Optional.of(new Choices(node.path("datasource").asText(), node.path("sql").asText()));
  }

  /** A read-only query on {@code datasource}: its rows, best first, are the candidates. */
  public record Choices(String datasource, String sql) {}

  /** A parameter is required unless its schema has a default. */
  public boolean required() {
    return defaultValue.isEmpty();
  }

  @Override
  public JsonNode schema() {
    return schema.deepCopy();
  }
}
