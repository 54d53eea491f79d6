package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;

/** The gateway's HTTP API under {@code /gateway}, and its synthetic client. */
final class GatewayRoutes {
  private GatewayRoutes() {}

  static void mount(DemoRouter routes, Gateway gateway) {
    routes.get("/gateway/health", ctx -> {
      JsonObject health = gateway.health();
      return Future.succeededFuture(new Reply("down".equals(health.getString("status")) ? 503 : 200, health));
    });
    routes.get("/gateway/admin/traffic", ctx -> Future.succeededFuture(Reply.ok(gateway.traffic())));
    routes.post("/gateway/admin/traffic", ctx -> {
      JsonObject body = Bodies.json(ctx);
      Object value = body.getValue("standby_percent");
      if (value == null) {
        throw DemoHttpException.invalid("standby_percent is required");
      }
      int percent = Bodies.integerValue(value, "standby_percent");
      String reason = Bodies.optionalText(body, "reason").orElse("set by admin API");
      return Future.succeededFuture(Reply.ok(gateway.setTraffic(percent, reason)));
    });
    routes.get("/gateway/canary", ctx -> gateway.canary(ServingRoutes.model(ctx.queryParams().get("model"))).map(Reply::ok));
    routes.dataPlane("/gateway/predict", ctx -> gateway.predict(Bodies.json(ctx)).map(Reply::ok));
  }

  /** One request of the synthetic client (about 5 a second in production timing). */
  static Future<Void> syntheticRequest(Gateway gateway, Random random) {
    String entity = String.format("u%03d", random.nextInt(1000));
    JsonObject request = random.nextBoolean()
        ? new JsonObject().put("model", "ranker").put("entity_id", entity)
            .put("item_id", String.format("it%04d", random.nextInt(500)))
        : new JsonObject().put("model", "fraud").put("entity_id", entity)
            .put("amount", List.of(12.5, 35.0, 80.0, 129.5, 410.0).get(random.nextInt(5)));
    return gateway.predict(request).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }
}
