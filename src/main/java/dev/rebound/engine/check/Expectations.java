package dev.rebound.engine.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.runbook.Check;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Evaluates a {@code sql} check's {@code expect} against the first column of the first row.
 * {@code equals}/{@code not_equals} compare numerically when both sides are numbers (or numeric
 * text: {@code count(*)} = {@code 1}, {@code '1.50'} = {@code 1.5}), else by text ({@code true} =
 * {@code "true"}); SQL NULL equals only {@code null}. The ordering operators and {@code between}
 * (inclusive at both ends) need both sides numeric.
 */
final class Expectations {
  private Expectations() {}

  record Verdict(boolean passed, String expected, String problem) {}

  /** {@code value} is null when the query returned no rows. */
  static Verdict evaluate(Check.Expectation expect, JsonNode value) {
    String op = expect.operator();
    JsonNode want = expect.value();
    String expected = describe(op, want);
    if (value == null) {
      return new Verdict(false, expected, "the query returned no rows");
    }
    switch (op) {
      case "equals":
        return verdict(equal(want, value), expected, "is " + JsonMatch.show(value) + ", expected " + JsonMatch.show(want));
      case "not_equals":
        return verdict(!equal(want, value), expected, "is " + JsonMatch.show(value) + ", expected anything else");
      case "less_than":
      case "at_most":
      case "greater_than":
      case "at_least":
        return ordered(op, want, value, expected);
      case "between":
        return between(want, value, expected);
      default:
        return new Verdict(false, expected, "unknown expectation '" + op + "'");
    }
  }

  private static boolean equal(JsonNode want, JsonNode value) {
    if (want.isNull() || value.isNull()) {
      return want.isNull() && value.isNull();
    }
    Optional<BigDecimal> a = JsonMatch.number(want);
    Optional<BigDecimal> b = JsonMatch.number(value);
    if (a.isPresent() && b.isPresent()) {
      return a.get().compareTo(b.get()) == 0;
    }
    return want.asText().equals(value.asText());
  }

  private static Verdict ordered(String op, JsonNode want, JsonNode value, String expected) {
    Optional<BigDecimal> bound = JsonMatch.number(want);
    Optional<BigDecimal> actual = JsonMatch.number(value);
    if (bound.isEmpty()) {
      return new Verdict(false, expected, op + " needs a number, got " + JsonMatch.show(want));
    }
    if (actual.isEmpty()) {
      return new Verdict(false, expected, "observed " + JsonMatch.show(value) + " is not a number");
    }
    int c = actual.get().compareTo(bound.get());
    boolean ok;
    switch (op) {
      case "less_than":
        ok = c < 0;
        break;
      case "at_most":
        ok = c <= 0;
        break;
      case "greater_than":
        ok = c > 0;
        break;
      default:
        ok = c >= 0;
        break;
    }
    return verdict(ok, expected, "is " + JsonMatch.show(value) + ", expected " + expected);
  }

  private static Verdict between(JsonNode want, JsonNode value, String expected) {
    if (!want.isArray() || want.size() != 2) {
      return new Verdict(false, expected, "between needs [low, high]");
    }
    Optional<BigDecimal> low = JsonMatch.number(want.get(0));
    Optional<BigDecimal> high = JsonMatch.number(want.get(1));
    Optional<BigDecimal> actual = JsonMatch.number(value);
    if (low.isEmpty() || high.isEmpty()) {
      return new Verdict(false, expected, "between needs two numbers");
    }
    if (actual.isEmpty()) {
      return new Verdict(false, expected, "observed " + JsonMatch.show(value) + " is not a number");
    }
    boolean ok = actual.get().compareTo(low.get()) >= 0 && actual.get().compareTo(high.get()) <= 0;
    return verdict(ok, expected, "is " + JsonMatch.show(value) + ", expected " + expected);
  }

  private static Verdict verdict(boolean ok, String expected, String problem) {
    return new Verdict(ok, expected, ok ? "ok" : problem);
  }

  static String describe(String op, JsonNode want) {
    if (op.equals("between") && want.isArray() && want.size() == 2) {
      return "between " + JsonMatch.show(want.get(0)) + " and " + JsonMatch.show(want.get(1));
    }
    return op.replace('_', ' ') + " " + JsonMatch.show(want);
  }
}
