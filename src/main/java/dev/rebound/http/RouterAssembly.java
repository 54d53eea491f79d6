package dev.rebound.http;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.HttpSettings;
import dev.rebound.health.ReadinessCheck;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * Builds the router. The order of the handlers is the security design, so it is spelled out in
 * one place:
 *
 * <ol>
 *   <li>request metrics, so every request is counted, failed ones included;
 *   <li>authentication for everything under {@code /api/}, before the body is read, so an
 *       anonymous caller cannot make the server buffer API bodies;
 *   <li>the body handler: in memory, at most the configured size (413 beyond), uploads off;
 *   <li>health and metrics (unauthenticated), then the route groups, each route stating its
 *       minimum role, then the console's static files (unauthenticated, GET only);
 *   <li>one failure handler, also used for unmatched routes (404) and wrong methods (405).
 * </ol>
 *
 * No catch-all handler may follow the specific routes: Vert.x Web forgets a "wrong method" (405)
 * match result whenever a later route runs a handler, and would answer 404 instead.
 */
final class RouterAssembly {
  private RouterAssembly() {}

  static Router build(Vertx vertx, HttpSettings http, PrometheusMeterRegistry registry,
      List<ReadinessCheck> checks, Authz authz, List<ApiRoutes> groups, DatabaseUrl database) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestMetrics(registry));
    router.route("/api/*").handler(authz.authenticate());
    router.route().handler(BodyHandler.create(false)
        .setHandleFileUploads(false)
        .setBodyLimit(http.bodyLimitBytes()));
    new HealthRoutes(checks).mount(router);
    MetricsRoute.mount(router, registry);
    groups.forEach(group -> group.mount(router, authz));
    ConsoleRoutes.mount(router);
    FailureHandler failures = new FailureHandler(database);
    router.route().failureHandler(failures);
    for (int status : new int[] {404, 405, 406, 415}) {
      router.errorHandler(status, failures);
    }
    return router;
  }
}
