package dev.rebound.http;

import dev.rebound.inventory.Role;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code GET /api/whoami}: the caller's identity and role, so a console or script can show who
 * it is acting as. Also the smallest example of an {@link ApiRoutes} group.
 */
public final class WhoAmIRoutes implements ApiRoutes {
  @Override
  public void mount(Router router, Authz authz) {
    router.get("/api/whoami").handler(authz.require(Role.VIEWER)).handler(ctx -> {
      Identity identity = Authz.identity(ctx);
      Responses.ok(ctx, new JsonObject()
          .put("identity", identity.id())
          .put("role", identity.role().yamlName())
          .put("via", identity.via()));
    });
  }
}
