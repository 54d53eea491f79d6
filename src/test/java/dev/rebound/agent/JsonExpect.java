package dev.rebound.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expectations on a JSON document, written in scenario files as {@code path: expectation}:
 *
 * <pre>
 * mode: guided                                  # equals (numbers by value)
 * degraded: null                                # null or absent
 * reply: {contains: ["stale", "approve"]}       # text contains each (also arrays: as text)
 * reply: {not_contains: "sk-"}
 * tool_calls: {size: 2}                         # array or object size; also min_size, max_size
 * pending_approvals[0].binds.params.snapshot_id: snap-0a1b2c3d
 * tool_calls: {any: {name: get_incident, status: OK}}   # some element matches all
 * tool_calls: {none: {status: OK}}                      # no element matches all
 * guided.next_step: {exists: true}
 * reply: {matches: "(?s).*run_[0-9a-z]+.*"}
 * </pre>
 */
final class JsonExpect {
  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

  private JsonExpect() {}

  static void check(String what, JsonNode doc, JsonNode expectations) {
    if (expectations == null || expectations.isNull() || expectations.isMissingNode()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : expectations.properties()) {
      checkValue(what + " " + e.getKey(), at(doc, e.getKey()), e.getValue());
    }
  }

  static boolean matches(JsonNode doc, JsonNode expectations) {
    try {
      if (expectations.isObject() && isOperator(expectations) || !expectations.isObject()) {
        checkValue("", doc, expectations); // an element itself: {any: {contains: "x"}}
      } else {
        check("", doc, expectations);
      }
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  static JsonNode at(JsonNode doc, String path) {
    JsonNode node = doc;
    Matcher m = SEGMENT.matcher(path);
    while (m.find()) {
      if (node == null) {
        return MissingNode.getInstance();
      }
      node = m.group(1) != null ? node.get(m.group(1)) : node.get(Integer.parseInt(m.group(2)));
    }
    return node == null ? MissingNode.getInstance() : node;
  }

  private static void checkValue(String what, JsonNode actual, JsonNode expected) {
    if (expected.isNull()) {
      assertThat(actual.isNull() || actual.isMissingNode()).as(what + " should be null but is " + actual).isTrue();
      return;
    }
    if (!expected.isObject() || !isOperator(expected)) {
      if (expected.isNumber() && actual.isNumber()) {
        assertThat(actual.decimalValue().compareTo(expected.decimalValue())).as(what + ": " + actual).isZero();
      } else if (expected.isTextual()) {
        assertThat(actual.isMissingNode() ? null : actual.asText()).as(what).isEqualTo(expected.asText());
      } else {
        assertThat(actual).as(what).isEqualTo(expected);
      }
      return;
    }
    for (Map.Entry<String, JsonNode> op : expected.properties()) {
      JsonNode v = op.getValue();
      switch (op.getKey()) {
        case "contains" -> strings(v).forEach(s -> assertThat(text(actual)).as(what).contains(s));
        case "not_contains" -> strings(v).forEach(s -> assertThat(text(actual)).as(what).doesNotContain(s));
        case "matches" -> assertThat(text(actual)).as(what).matches(v.asText());
        case "size" -> assertThat(actual.size()).as(what + " size of " + shorten(actual)).isEqualTo(v.asInt());
        case "min_size" -> assertThat(actual.size()).as(what + " size of " + shorten(actual)).isGreaterThanOrEqualTo(v.asInt());
        case "max_size" -> assertThat(actual.size()).as(what + " size of " + shorten(actual)).isLessThanOrEqualTo(v.asInt());
        case "exists" -> assertThat(!actual.isMissingNode() && !actual.isNull()).as(what + " exists").isEqualTo(v.asBoolean());
        case "any" -> {
          for (JsonNode element : actual) {
            if (matches(element, v)) {
              return;
            }
          }
          fail(what + ": no element matches " + v + " in " + shorten(actual));
        }
        case "none" -> {
          for (JsonNode element : actual) {
            if (matches(element, v)) {
              fail(what + ": an element matches " + v + ": " + shorten(element));
            }
          }
        }
        default -> fail("unknown expectation '" + op.getKey() + "' at " + what);
      }
    }
  }

  private static boolean isOperator(JsonNode expected) {
    List<String> ops = List.of("contains", "not_contains", "matches", "size", "min_size", "max_size", "exists", "any",
        "none");
    return expected.size() > 0 && ops.containsAll(iterable(expected));
  }

  private static List<String> iterable(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> strings(JsonNode v) {
    List<String> out = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(s -> out.add(s.asText()));
    } else {
      out.add(v.asText());
    }
    return out;
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.textValue() : n.isMissingNode() ? "" : n.toString();
  }

  private static String shorten(JsonNode n) {
    String s = n.toString();
    return s.length() > 1500 ? s.substring(0, 1500) + "…" : s;
  }
}
