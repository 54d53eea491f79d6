package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of binding parameters: typed values with defaults applied (in declaration order)
 * when {@link #errors()} is empty, otherwise the errors, one line each naming the parameter.
 */
public record BoundParams(Map<String, JsonNode> values, List<String> errors) {
  public BoundParams {
    Map<String, JsonNode> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, normalized(v)));
    values = Collections.unmodifiableMap(copy);
    errors = List.copyOf(errors);
  }

  /**
   * One representation per integer value: YAML defaults arrive as longs and {@code k=v} values
   * as ints, and Jackson compares the two as different. Ints also bind as int4 in SQL.
   */
  private static JsonNode normalized(JsonNode value) {
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      return IntNode.valueOf(value.intValue());
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return LongNode.valueOf(value.longValue());
    }
    return value.deepCopy();
  }

  public boolean isValid() {
    return errors.isEmpty();
  }

  /**
   * @throws InvalidParametersException listing every error
   */
  public BoundParams orElseThrow() {
    if (!isValid()) {
      throw new InvalidParametersException(errors);
    }
    return this;
  }

  public ObjectNode toJson() {
    ObjectNode out = Json.NODES.objectNode();
    values.forEach((k, v) -> out.set(k, v.deepCopy()));
    return out;
  }
}
