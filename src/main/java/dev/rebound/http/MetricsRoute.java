package dev.rebound.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * {@code GET /metrics} in the Prometheus text format. Unauthenticated like most scrape targets:
 * meters carry counts and timings, never identities or secrets; bind the server to a private
 * address if even that is too much.
 */
final class MetricsRoute {
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsRoute() {}

  static void mount(Router router, PrometheusMeterRegistry registry) {
    router.get("/metrics").handler(ctx -> {
      RequestMetrics.markRoute(ctx);
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(registry.scrape());
    });
  }
}
