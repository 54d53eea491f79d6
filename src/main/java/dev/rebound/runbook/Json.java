package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.rebound.yaml.PositionedYaml;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small Jackson helpers shared by the package; one mapper, configured once. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  static String child(String pointer, String key) {
    return pointer + "/" + PositionedYaml.escape(key);
  }

  static String child(String pointer, int index) {
    return pointer + "/" + index;
  }

  /** {@code /steps/1/risk} → {@code steps[1].risk}: how people name a place in a runbook. */
  static String displayPath(String pointer) {
    if (pointer == null || pointer.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String raw : pointer.substring(1).split("/", -1)) {
      String token = raw.replace("~1", "/").replace("~0", "~");
      if (!token.isEmpty() && token.chars().allMatch(Character::isDigit)) {
        out.append('[').append(token).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(token);
      }
    }
    return out.toString();
  }

  static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  static String text(JsonNode node, String field, String fallback) {
    return text(node, field).orElse(fallback);
  }

  static boolean bool(JsonNode node, String field, boolean fallback) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? fallback : value.asBoolean();
  }

  static List<String> strings(JsonNode array) {
    if (array == null || !array.isArray()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    array.forEach(item -> out.add(item.asText()));
    return List.copyOf(out);
  }

  static List<JsonNode> nodes(JsonNode array) {
    if (array == null || !array.isArray()) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>();
    array.forEach(item -> out.add(item.deepCopy()));
    return Collections.unmodifiableList(out);
  }

  static Map<String, String> stringMap(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    if (object != null && object.isObject()) {
      object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Compact JSON of any node, for one-line summaries. */
  static String compact(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
