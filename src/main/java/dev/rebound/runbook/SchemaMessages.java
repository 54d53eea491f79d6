package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a {@link SchemaViolation} into one line a person can act on, e.g. {@code must be one
 * of low, medium, high (got "critical")}. Used for runbook files, parameter values and
 * parameter schemas alike, so the three read the same.
 */
final class SchemaMessages {
  private static final int MAX_SHOWN = 60;

  private SchemaMessages() {}

  /**
   * @param subject what the value is called, e.g. {@code steps[1].risk} or {@code param limit};
   *     empty for the top level
   * @param instanceRoot the validated document, to quote the offending value
   * @param allowedKeys schema pointer of an {@code additionalProperties} → the keys allowed there
   */
  static String describe(
      SchemaViolation v, String subject, JsonNode instanceRoot, Function<String, List<String>> allowedKeys) {
    String text = text(v, instanceRoot.at(v.pointer()), allowedKeys);
    boolean aboutAKey = v.keyword().equals("required") || v.keyword().equals("additionalProperties");
    String who = subject.isEmpty() && !aboutAKey ? "top level" : subject;
    return who.isEmpty() ? text : who + ": " + text;
  }

  private static String text(SchemaViolation v, JsonNode value, Function<String, List<String>> allowedKeys) {
    JsonNode s = v.schemaValue();
    switch (v.keyword()) {
      case "type":
        return "must be " + typeNames(s) + " (got " + shown(value) + ")";
      case "enum":
        return "must be one of " + plainList(s) + " (got " + shown(value) + ")";
      case "const":
        return "must be " + plain(s) + " (got " + shown(value) + ")";
      case "pattern":
        return pattern(v, value);
      case "minimum":
        return "must be at least " + s.asText() + " (got " + shown(value) + ")";
      case "maximum":
        return "must be at most " + s.asText() + " (got " + shown(value) + ")";
      case "exclusiveMinimum":
        return "must be greater than " + s.asText() + " (got " + shown(value) + ")";
      case "exclusiveMaximum":
        return "must be less than " + s.asText() + " (got " + shown(value) + ")";
      case "multipleOf":
        return "must be a multiple of " + s.asText() + " (got " + shown(value) + ")";
      case "minLength":
        return s.asInt() == 1
            ? "must not be empty"
            : "must be at least " + s.asInt() + " characters long (got " + length(value) + ")";
      case "maxLength":
        return "must be at most " + s.asInt() + " characters long (got " + length(value) + ")";
      case "minItems":
        return s.asInt() == 1
            ? "must have at least one item"
            : "must have at least " + s.asInt() + " items (got " + value.size() + ")";
      case "maxItems":
        return "must have at most " + s.asInt() + " items (got " + value.size() + ")";
      case "minProperties":
        return "must have at least " + s.asInt() + (s.asInt() == 1 ? " key" : " keys");
      case "maxProperties":
        return "must have at most " + s.asInt() + (s.asInt() == 1 ? " key" : " keys") + " (got " + keys(value) + ")";
      case "required":
        return "missing required key '" + v.property() + "'";
      case "additionalProperties":
        List<String> allowed = allowedKeys.apply(v.schemaPointer());
        return "unknown key '" + v.property() + "'" + (allowed.isEmpty() ? "" : " (allowed: " + String.join(", ", allowed) + ")");
      case "propertyNames":
        String rule = s.hasNonNull("pattern") ? " (must match " + s.get("pattern").asText() + ")" : "";
        return "invalid name '" + v.property() + "'" + rule;
      case "uniqueItems":
        return "must not contain duplicates";
      case "format":
        return shown(value) + " is not a valid " + s.asText();
      default:
        return v.fallback();
    }
  }

  private static String pattern(SchemaViolation v, JsonNode value) {
    if (v.schemaPointer().startsWith("/$defs/duration/")) {
      return Durations.invalidMessage(value.asText());
    }
    if (v.schemaPointer().startsWith("/$defs/line/")) {
      return "must be a single line";
    }
    return shown(value) + " does not match " + v.schemaValue().asText();
  }

  /** How a value is quoted back to the author: strings in quotes, containers by kind. */
  static String shown(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    if (value.isNull()) {
      return "an empty value";
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isTextual()) {
      String t = value.asText();
      String cut = t.length() > MAX_SHOWN ? t.substring(0, MAX_SHOWN) + "…" : t;
      return Json.compact(Json.NODES.textNode(cut));
    }
    return value.asText();
  }

  private static String typeNames(JsonNode type) {
    List<String> names = new ArrayList<>();
    if (type.isArray()) {
      type.forEach(t -> names.add(typeName(t.asText())));
    } else {
      names.add(typeName(type.asText()));
    }
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }

  private static String typeName(String type) {
    switch (type) {
      case "integer":
        return "an integer";
      case "object":
        return "a mapping";
      case "array":
        return "a list";
      case "null":
        return "empty";
      default:
        return "a " + type;
    }
  }

  private static String plainList(JsonNode values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(plain(v)));
    return String.join(", ", out);
  }

  private static String plain(JsonNode v) {
    return v.isTextual() ? v.asText() : Json.compact(v);
  }

  private static int length(JsonNode value) {
    String t = value.asText();
    return t.codePointCount(0, t.length());
  }

  private static String keys(JsonNode value) {
    List<String> out = new ArrayList<>();
    value.fieldNames().forEachRemaining(out::add);
    return String.join(", ", out);
  }
}
