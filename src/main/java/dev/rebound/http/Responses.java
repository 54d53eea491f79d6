package dev.rebound.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON responses the same way everywhere (content type, no caching of API data). */
public final class Responses {
  private Responses() {}

  public static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
    return json(ctx, status, body.encode());
  }

  /**
   * For a body already encoded as JSON text, e.g. by {@code ApiJson} (Jackson views with their
   * own naming annotations); the caller guarantees it is valid JSON.
   */
  public static Future<Void> json(RoutingContext ctx, int status, String encodedJson) {
    HttpServerResponse response = ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        // Responses carry incident and identity data: keep them out of shared caches.
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("X-Content-Type-Options", "nosniff");
    return response.end(encodedJson);
  }

  public static Future<Void> ok(RoutingContext ctx, JsonObject body) {
    return json(ctx, 200, body);
  }
}
