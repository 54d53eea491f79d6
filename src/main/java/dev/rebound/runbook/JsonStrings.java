package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Visits every string value, or every key, of a tree with its JSON Pointer. */
final class JsonStrings {
  interface Visitor {
    void visit(String pointer, String value);
  }

  private JsonStrings() {}

  static void forEach(JsonNode node, String pointer, Visitor visitor) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      visitor.visit(pointer, node.asText());
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        forEach(node.get(i), Json.child(pointer, i), visitor);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        forEach(e.getValue(), Json.child(pointer, e.getKey()), visitor);
      }
    }
  }

  /** Every mapping key at any depth, with the pointer of its entry. */
  static void forEachKey(JsonNode node, String pointer, Visitor visitor) {
    if (node == null) {
      return;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        forEachKey(node.get(i), Json.child(pointer, i), visitor);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String child = Json.child(pointer, e.getKey());
        visitor.visit(child, e.getKey());
        forEachKey(e.getValue(), child, visitor);
      }
    }
  }
}
