package dev.rebound.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reading request bodies the contract's way: JSON whatever the {@code Content-Type}, unknown
 * fields ignored, an empty body is {@code {}}; numeric fields accept a JSON number or a string
 * of decimal digits, because Rebound's templates render strings.
 */
final class Bodies {
  private static final Pattern DIGITS = Pattern.compile("-?[0-9]{1,9}");

  private Bodies() {}

  static JsonObject json(RoutingContext ctx) {
    Buffer buffer = ctx.body().buffer();
    if (buffer == null || buffer.toString().isBlank()) {
      return new JsonObject();
    }
    Object value;
    try {
      value = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw new DemoHttpException(400, "malformed", "the body is not JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw new DemoHttpException(400, "malformed", "the body must be a JSON object");
    }
    return object;
  }

  /** A required string field; 422 when missing, not a string or blank. */
  static String text(JsonObject body, String field) {
    return optionalText(body, field).orElseThrow(() -> DemoHttpException.invalid(field + " is required"));
  }

  static Optional<String> optionalText(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String s)) {
      throw DemoHttpException.invalid(field + " must be a string");
    }
    return s.isBlank() ? Optional.empty() : Optional.of(s);
  }

  /** A required integer field: a JSON integer or a string of decimal digits. */
  static int integer(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw DemoHttpException.invalid(field + " is required");
    }
    return integerValue(value, field);
  }

  static int integerValue(Object value, String field) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      long n = ((Number) value).longValue();
      if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
        return (int) n;
      }
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e9) {
      return n.intValue();
    }
    if (value instanceof String s && DIGITS.matcher(s.trim()).matches()) {
      return Integer.parseInt(s.trim());
    }
    throw DemoHttpException.invalid(field + " must be an integer (a number or a string of digits)");
  }

  /** A path parameter that must be a positive version number; 404 otherwise (no such version). */
  static int version(RoutingContext ctx) {
    String text = ctx.pathParam("version");
    if (text == null || !text.matches("[1-9][0-9]{0,8}")) {
      throw DemoHttpException.notFound("version " + text);
    }
    return Integer.parseInt(text);
  }

  /** {@code X-Actor}, or the given fallback. */
  static String actor(RoutingContext ctx, String fallback) {
    String actor = ctx.request().getHeader("X-Actor");
    return actor == null || actor.isBlank() ? fallback : actor.trim();
  }
}
