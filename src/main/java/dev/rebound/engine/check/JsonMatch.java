package dev.rebound.engine.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Whether a value from a target matches an expected value from a runbook. Exact JSON equality,
 * plus two forgiving rules because templates turn values into text ({@code "{{params.v}}"} inside
 * longer text is a string): numbers are equal by value ({@code 1} = {@code 1.0}), and a string
 * matches a number or boolean with the same text ({@code "3"} = {@code 3}, {@code "true"} =
 * {@code true}).
 */
final class JsonMatch {
  private JsonMatch() {}

  static boolean matches(JsonNode expected, JsonNode actual) {
    if (actual == null || actual.isMissingNode()) {
      return false;
    }
    if (expected.equals(actual)) {
      return true;
    }
    Optional<BigDecimal> e = number(expected);
    Optional<BigDecimal> a = number(actual);
    if (e.isPresent() && a.isPresent() && (expected.isNumber() || actual.isNumber())) {
      return e.get().compareTo(a.get()) == 0;
    }
    boolean oneIsText = expected.isTextual() != actual.isTextual();
    if (oneIsText && expected.isValueNode() && actual.isValueNode() && !expected.isNull() && !actual.isNull()) {
      return expected.asText().equals(actual.asText());
    }
    return false;
  }

  /** The node as a number when it is one or is text holding one. */
  static Optional<BigDecimal> number(JsonNode node) {
    if (node == null) {
      return Optional.empty();
    }
    if (node.isNumber()) {
      return Optional.of(node.decimalValue());
    }
    if (node.isTextual()) {
      try {
        return Optional.of(new BigDecimal(node.textValue().trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A short text form: strings bare, everything else as JSON. */
  static String show(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "(missing)";
    }
    return Texts.clip(node.isTextual() ? node.textValue() : node.toString(), 120);
  }
}
