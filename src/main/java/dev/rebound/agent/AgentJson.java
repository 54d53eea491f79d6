package dev.rebound.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Optional;

/** JSON helpers of the agent: one plain mapper, trees built by hand (snake_case by writing it). */
final class AgentJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AgentJson() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode strings(Collection<String> values) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
  }

  /** Parses text the model or the database produced; empty when it is not JSON. */
  static Optional<JsonNode> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      JsonNode node = MAPPER.readTree(text);
      return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** Parser's first line without the echo of the input, for telling the model what was wrong. */
  static String parseError(String text) {
    try {
      MAPPER.readTree(text == null ? "" : text);
      return "";
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage() == null ? "not JSON" : e.getOriginalMessage();
      String line = msg.lines().findFirst().orElse("not JSON");
      return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }
  }

  static void putOptional(ObjectNode o, String field, Optional<String> value) {
    value.ifPresentOrElse(v -> o.put(field, v), () -> o.putNull(field));
  }

  /** Cuts {@code text} to {@code max} characters, saying how much was cut. */
  static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + "\n[… cut: " + (text.length() - max) + " more characters]";
  }
}
