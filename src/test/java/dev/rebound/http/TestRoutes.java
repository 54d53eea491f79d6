package dev.rebound.http;

import dev.rebound.error.NotFoundException;
import dev.rebound.inventory.Role;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** A route group mounted only in tests: shows {@link ApiRoutes} composing, and exercises errors. */
final class TestRoutes implements ApiRoutes {
  @Override
  public void mount(Router router, Authz authz) {
    router.post("/api/test/echo").handler(authz.require(Role.VIEWER))
        .handler(ctx -> Responses.ok(ctx, new JsonObject().put("echo", RequestBodies.jsonObject(ctx))));
    router.get("/api/test/approver-only").handler(authz.require(Role.APPROVER))
        .handler(ctx -> Responses.ok(ctx, new JsonObject().put("ok", true)));
    router.get("/api/test/missing").handler(authz.require(Role.VIEWER))
        .handler(ctx -> ctx.fail(NotFoundException.of("runbook", "nope")));
    router.get("/api/test/boom").handler(authz.require(Role.VIEWER)).handler(ctx -> {
      throw new IllegalStateException("internal detail that must not reach the client");
    });
  }
}
