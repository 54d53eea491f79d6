package dev.rebound.engine.target;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** JSON parsing of what targets send back; one mapper, configured once. */
public final class TargetJson {
  /** Nesting limited: a target's reply is data, not something to recurse into forever. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
  }

  private TargetJson() {}

  /** {@code text} parsed as JSON, or empty when it is not JSON. */
  public static Optional<JsonNode> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(MAPPER.readTree(text));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** {@code text} parsed as a JSON object, or empty when it is anything else. */
  public static Optional<ObjectNode> parseObject(String text) {
    return parse(text).filter(JsonNode::isObject).map(ObjectNode.class::cast);
  }
}
