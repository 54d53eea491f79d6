package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The HTTP API of one serving instance under its prefix ({@code /serving} or
 * {@code /serving-standby}). A gate in front of every route applies the instance faults: when down
 * every route answers 503 ({@code /health} with {@code "status": "down"}), when slow every request
 * waits {@value ServingInstance#SLOW_DELAY_MS} ms first.
 */
final class ServingRoutes {
  private ServingRoutes() {}

  static void mount(DemoRouter routes, String prefix, ServingInstance instance, io.vertx.core.Vertx vertx) {
    routes.router().route(prefix + "/*").handler(ctx -> {
      if (instance.down()) {
        JsonObject body = ctx.normalizedPath().equals(prefix + "/health")
            ? new JsonObject().put("status", "down").put("instance", instance.name)
            : new DemoHttpException(503, "unavailable", "serving " + instance.name + " is down").body();
        ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json").end(body.toBuffer());
        return;
      }
      if (instance.extraLatencyMs() > 0) {
        vertx.setTimer(instance.extraLatencyMs(), id -> ctx.next());
        return;
      }
      ctx.next();
    });
    routes.get(prefix + "/health", ctx -> Future.succeededFuture(Reply.ok(instance.health())));
    routes.get(prefix + "/models/:name", ctx -> Future.succeededFuture(Reply.ok(instance.modelInfo(ctx.pathParam("name")))));
    routes.get(prefix + "/canary", ctx -> instance.canary(model(ctx.queryParams().get("model"))).map(Reply::ok));
    routes.post(prefix + "/admin/model", ctx -> {
      JsonObject body = Bodies.json(ctx);
      return instance.load(Bodies.text(body, "model_name"), Bodies.integer(body, "version"),
          Bodies.optionalText(body, "reason").orElse(null)).map(Reply::ok);
    });
    routes.dataPlane(prefix + "/predict", ctx -> instance.predict(Bodies.json(ctx)).map(Reply::ok));
  }

  static String model(String name) {
    if (name == null || name.isBlank()) {
      throw DemoHttpException.invalid("query parameter model is required");
    }
    return name;
  }
}
