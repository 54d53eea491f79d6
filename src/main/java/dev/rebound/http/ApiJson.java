package dev.rebound.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * API bodies built with Jackson: domain views ({@code AssetSummaryView}, {@code Plan.toJson()}…)
 * carry their own snake_case naming annotations and are serialised by one plain mapper, the
 * same way their unit tests read them. Vert.x's own {@code JsonObject} mapper is not used for
 * them, so a change to its configuration cannot silently rename API fields.
 */
final class ApiJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiJson() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** A view record (or any bean Jackson can write) as a tree, to combine with other parts. */
  static JsonNode tree(Object view) {
    return MAPPER.valueToTree(view);
  }

  /**
   * Runs a handler's work and answers 200 with its result, or fails the request with whatever
   * it threw or failed with (the failure handler renders it). Every route ends in a response.
   */
  static void reply(RoutingContext ctx, Supplier<? extends Future<?>> work) {
    Future<?> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    result.onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      try {
        ok(ctx, done.result());
      } catch (RuntimeException e) {
        // Thrown inside a future callback it would be lost and the request would hang.
        ctx.fail(e);
      }
    });
  }

  static Future<Void> ok(RoutingContext ctx, Object body) {
    return Responses.json(ctx, 200, encode(body));
  }

  private static String encode(Object body) {
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      // Views are plain records and trees: failing to write one is a bug, rendered as a 500.
      throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
