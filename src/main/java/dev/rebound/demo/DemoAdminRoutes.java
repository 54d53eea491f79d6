package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The demo's own control surface, for the console, drills and tests (never for runbooks):
 * {@code GET /demo/faults}, {@code POST /demo/faults/{name}} (inject), {@code POST /demo/reset}
 * (back to the seed state) and {@code GET /demo/admin/calls} (calls per endpoint). POSTs need the
 * admin token like every other mutation.
 */
final class DemoAdminRoutes {
  private DemoAdminRoutes() {}

  static void mount(DemoRouter routes, DemoPlatform platform) {
    routes.get("/demo/faults", ctx -> {
      JsonArray list = new JsonArray();
      for (Fault f : Fault.values()) {
        list.add(describe(f).put("active", platform.faults().active().contains(f)));
      }
      return Future.succeededFuture(Reply.ok(new JsonObject().put("faults", list)));
    });
    routes.post("/demo/faults/:name", ctx -> {
      Fault fault = Fault.byId(ctx.pathParam("name"))
          .orElseThrow(() -> DemoHttpException.notFound("fault " + ctx.pathParam("name")));
      return platform.faults().inject(fault)
          .map(x -> Reply.ok(describe(fault).put("injected_at", Times.iso(Instant.now()))));
    });
    routes.post("/demo/reset", ctx -> platform.resetOnContext()
        .map(x -> Reply.ok(new JsonObject().put("reset", true).put("at", Times.iso(Instant.now())))));
    routes.get("/demo/admin/calls", ctx -> Future.succeededFuture(Reply.ok(platform.calls().toJson())));
  }

  private static JsonObject describe(Fault f) {
    return new JsonObject().put("fault", f.id()).put("effect", f.effect()).put("alert", f.alert())
        .put("heals_with", f.healedBy());
  }
}
