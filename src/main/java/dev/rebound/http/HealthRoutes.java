package dev.rebound.http;

import dev.rebound.health.CheckResult;
import dev.rebound.health.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /health/live}: the process serves HTTP (always 200; a restart cannot fix a
 * database outage, so liveness does not look at it). {@code GET /health/ready}: every
 * {@link ReadinessCheck} is up (200) or not (503), with each check's details. Unauthenticated,
 * so load balancers can call them; checks must not put secrets in their details.
 */
final class HealthRoutes {
  private static final long CHECK_TIMEOUT_SECONDS = 3;

  private final List<ReadinessCheck> checks;

  HealthRoutes(List<ReadinessCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  void mount(Router router) {
    router.get("/health/live").handler(ctx -> {
      RequestMetrics.markRoute(ctx);
      Responses.ok(ctx, new JsonObject().put("status", "up"));
    });
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    RequestMetrics.markRoute(ctx);
    List<Future<CheckResult>> results = checks.stream().map(HealthRoutes::bounded).toList();
    Future.all(results)
        .map(all -> render(all.list()))
        .onSuccess(body -> Responses.json(ctx, "up".equals(body.getString("status")) ? 200 : 503, body))
        .onFailure(ctx::fail);
  }

  private JsonObject render(List<CheckResult> results) {
    JsonObject details = new JsonObject();
    boolean up = true;
    for (int i = 0; i < checks.size(); i++) {
      CheckResult result = results.get(i);
      up &= result.up();
      details.put(checks.get(i).name(),
          new JsonObject(new LinkedHashMap<>(result.details())).put("status", result.up() ? "up" : "down"));
    }
    return new JsonObject().put("status", up ? "up" : "down").put("details", details);
  }

  /** A check that fails, throws or hangs counts as down instead of failing the endpoint. */
  private static Future<CheckResult> bounded(ReadinessCheck check) {
    Future<CheckResult> started;
    try {
      started = check.check();
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    return started
        .timeout(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .recover(e -> Future.succeededFuture(CheckResult.down(
            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
  }
}
