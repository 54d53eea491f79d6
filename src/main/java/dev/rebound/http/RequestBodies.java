package dev.rebound.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;

/** Reading request bodies in handlers, with errors that become 400 {@code malformed_json}. */
public final class RequestBodies {
  private RequestBodies() {}

  /**
   * The body as a JSON object.
   *
   * @throws MalformedJsonException when the body is empty, not JSON, or not an object
   */
  public static JsonObject jsonObject(RoutingContext ctx) {
    RequestBody body = ctx.body();
    if (body == null || !body.available()) {
      throw new IllegalStateException("no BodyHandler ran for " + ctx.normalizedPath());
    }
    if (body.isEmpty()) {
      throw new MalformedJsonException("request body is empty: expected a JSON object");
    }
    Object value;
    try {
      value = Json.decodeValue(body.buffer());
    } catch (DecodeException e) {
      throw new MalformedJsonException(describe(e));
    }
    if (!(value instanceof JsonObject object)) {
      throw new MalformedJsonException("request body must be a JSON object");
    }
    return object;
  }

  /** Jackson's first line only: the rest echoes the input, which may be large or sensitive. */
  static String describe(DecodeException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String first = message.lines().findFirst().orElse("").replaceFirst("^Failed to decode:\\s*", "");
    int cut = first.indexOf(" at [Source");
    if (cut >= 0) {
      first = first.substring(0, cut);
    }
    if (first.length() > 160) {
      first = first.substring(0, 160) + "…";
    }
    return "request body is not valid JSON: " + first.trim();
  }
}
