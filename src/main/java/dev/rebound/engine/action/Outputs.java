package dev.rebound.engine.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.Masker;
import java.time.Duration;

/** Building step outputs and summaries: fixed fields first, reply fields after, fixed ones win. */
final class Outputs {
  private Outputs() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** {@code fixed} plus every field of {@code extra} whose name {@code fixed} does not use. */
  static ObjectNode merge(ObjectNode fixed, JsonNode extra) {
    ObjectNode out = fixed.deepCopy();
    if (extra != null && extra.isObject()) {
      extra.properties().forEach(e -> {
        if (!out.has(e.getKey())) {
          out.set(e.getKey(), e.getValue().deepCopy());
        }
      });
    }
    return out;
  }

  /** A masked copy of an object (the masker keeps objects objects). */
  static ObjectNode masked(Masker masker, ObjectNode node) {
    return (ObjectNode) masker.mask(node);
  }

  static String millis(Duration d) {
    return d.toMillis() + " ms";
  }

  /** At most {@code max} characters of {@code text} on one line, for messages. */
  static String snippet(String text, int max) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "…";
  }
}
