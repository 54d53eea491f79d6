package dev.rebound.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Records {@code http.server.requests} (count and latency) by method, route template and status.
 * The route is the template ({@code /api/runbooks/:id}), never the raw path, so the number of
 * series stays bounded; requests that matched no route count as {@code unmatched}.
 */
final class RequestMetrics implements Handler<RoutingContext> {
  static final String METER = "http.server.requests";
  private static final String ROUTE = "rebound.route";
  private static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
      HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

  private final MeterRegistry registry;

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Remembers the current route's template as the request's route label. Called by handlers
   * while they run (the last one wins), because once a failure handler takes over the context no
   * longer says which route failed.
   */
  static void markRoute(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    if (route != null && route.getPath() != null) {
      ctx.put(ROUTE, route.getPath());
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpMethod method = ctx.request().method();
    ctx.addEndHandler(done -> {
      String route = ctx.get(ROUTE, "unmatched");
      Timer.builder(METER)
          .description("HTTP requests served, by route template and status")
          .tag("method", KNOWN_METHODS.contains(method) ? method.name() : "OTHER")
          .tag("route", route)
          .tag("status", Integer.toString(ctx.response().getStatusCode()))
          .register(registry)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    });
    ctx.next();
  }
}
