package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool's arguments: one definition that is both what the model is offered (a
 * {@link JsonObjectSchema} whose properties are raw JSON Schema, so patterns and enums reach the
 * model) and what the agent checks before anything happens ({@link #validate}). The model's
 * arguments are never trusted to match what it was offered.
 *
 * <p>Optional properties accept {@code null} as "not given": in strict mode every property must
 * be listed as required, so the model sends null for the ones it leaves out. Unknown properties
 * are errors. {@code object} properties are only checked to be objects here; their contents are
 * the tool's to check (runbook parameters go through {@code ParamBinder}).
 */
final class ArgSchema {
  private final Map<String, Property> properties;

  private record Property(String name, ObjectNode schema, boolean required, Check check) {}

  @FunctionalInterface
  private interface Check {
    /** @return the problem, or null */
    String problem(JsonNode value);
  }

  private ArgSchema(Map<String, Property> properties) {
    this.properties = properties;
  }

  static Builder builder() {
    return new Builder();
  }

  static ArgSchema none() {
    return new Builder().build();
  }

  /** The schema the model is offered. */
  JsonObjectSchema toOffered() {
    JsonObjectSchema.Builder b = JsonObjectSchema.builder();
    List<String> required = new ArrayList<>();
    for (Property p : properties.values()) {
      b.addProperty(p.name(), JsonRawSchema.from(AgentJson.write(p.schema())));
      if (p.required()) {
        required.add(p.name());
      }
    }
    return b.required(required).additionalProperties(false).build();
  }

  /** Every problem with {@code args} (an object, already parsed), or none. */
  List<String> validate(JsonNode args) {
    List<String> problems = new ArrayList<>();
    if (args == null || !args.isObject()) {
      problems.add("arguments must be a JSON object");
      return problems;
    }
    args.properties().forEach(e -> {
      if (!properties.containsKey(e.getKey())) {
        problems.add("unknown argument '" + e.getKey() + "'" + (properties.isEmpty() ? " (this tool takes none)"
            : " (known: " + String.join(", ", properties.keySet()) + ")"));
      }
    });
    for (Property p : properties.values()) {
      JsonNode value = args.get(p.name());
      if (value == null || value.isNull()) {
        if (p.required()) {
          problems.add("argument '" + p.name() + "' is required");
        }
        continue;
      }
      String problem = p.check().problem(value);
      if (problem != null) {
        problems.add("argument '" + p.name() + "' " + problem);
      }
    }
    return problems;
  }

  static final class Builder {
    private final Map<String, Property> properties = new LinkedHashMap<>();

    Builder string(String name, String description, int maxLength, boolean required) {
      ObjectNode s = schema("string", description, required);
      return add(name, s, required, v -> !v.isTextual() ? "must be a string"
          : v.textValue().isBlank() ? "must not be empty"
          : v.textValue().length() > maxLength ? "is longer than " + maxLength + " characters" : null);
    }

    Builder integer(String name, String description, int min, int max, boolean required) {
      ObjectNode s = schema("integer", description, required);
      s.put("minimum", min);
      s.put("maximum", max);
      return add(name, s, required, v -> !v.isIntegralNumber() || !v.canConvertToInt()
          ? "must be a whole number" : v.intValue() < min || v.intValue() > max
          ? "must be between " + min + " and " + max + ", got " + v.intValue() : null);
    }

    Builder enumeration(String name, String description, List<String> values, boolean required) {
      ObjectNode s = schema("string", description, required);
      ArrayNode e = s.putArray("enum");
      values.forEach(e::add);
      if (!required) {
        e.addNull();
      }
      return add(name, s, required, v -> v.isTextual() && values.contains(v.textValue()) ? null
          : "must be one of " + String.join(", ", values) + ", got " + shown(v));
    }

    Builder integerConstant(String name, String description, int value) {
      ObjectNode s = schema("integer", description, true);
      s.putArray("enum").add(value);
      return add(name, s, true, v -> v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == value ? null
          : "must be " + value + ", got " + shown(v));
    }

    Builder strings(String name, String description, int maxItems, int maxLength, boolean required) {
      ObjectNode s = schema("array", description, required);
      s.putObject("items").put("type", "string");
      s.put("maxItems", maxItems);
      return add(name, s, required, v -> {
        if (!v.isArray()) {
          return "must be an array of strings";
        }
        if (v.size() > maxItems) {
          return "has more than " + maxItems + " items";
        }
        for (JsonNode item : v) {
          if (!item.isTextual() || item.textValue().length() > maxLength) {
            return "must hold strings of at most " + maxLength + " characters";
          }
        }
        return null;
      });
    }

    /** An object whose properties are given as raw JSON Schema (e.g. a runbook's params). */
    Builder object(String name, String description, ObjectNode propertySchemas, List<String> requiredInside) {
      ObjectNode s = AgentJson.object();
      s.put("type", "object");
      s.put("description", description);
      s.set("properties", propertySchemas.deepCopy());
      s.set("required", AgentJson.strings(requiredInside));
      s.put("additionalProperties", false);
      return add(name, s, true, v -> v.isObject() ? null : "must be a JSON object");
    }

    /** An object whose contents the tool checks itself (not offered as strict). */
    Builder freeObject(String name, String description) {
      ObjectNode s = AgentJson.object();
      s.put("type", "object");
      s.put("description", description);
      return add(name, s, true, v -> v.isObject() ? null : "must be a JSON object");
    }

    ArgSchema build() {
      return new ArgSchema(new LinkedHashMap<>(properties));
    }

    private Builder add(String name, ObjectNode schema, boolean required, Check check) {
      properties.put(name, new Property(name, schema, required, check));
      return this;
    }

    private static ObjectNode schema(String type, String description, boolean required) {
      ObjectNode s = AgentJson.object();
      if (required) {
        s.put("type", type);
      } else {
        s.set("type", AgentJson.strings(List.of(type, "null")));
      }
      s.put("description", description);
      return s;
    }
  }

  static String shown(JsonNode v) {
    String text = v.isTextual() ? "\"" + v.textValue() + "\"" : v.toString();
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }
}
