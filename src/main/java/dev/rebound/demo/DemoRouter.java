package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the demo's routes with the same chain everywhere, in this order: count the call;
 * for admin routes check {@code X-Admin-Token} (401 otherwise) and then {@code Idempotency-Key}
 * (a repeat is answered from the stored response and never reaches the handler); count the
 * execution; run the handler. Handlers return a {@code Future<Reply>}; a failure becomes the
 * contract's error body ({@link DemoHttpException}), anything unexpected a 500.
 */
final class DemoRouter {
  private static final Logger LOG = LoggerFactory.getLogger(DemoRouter.class);
  private static final String PENDING_KEY = "demo.idempotency";

  /** What a handler does with a request. */
  @FunctionalInterface
  interface Handler {
    Future<Reply> handle(RoutingContext ctx);
  }

  private final Router router;
  private final byte[] adminToken;
  private final IdempotencyStore idempotency;
  private final CallCounts calls;

  DemoRouter(Router router, String adminToken, IdempotencyStore idempotency, CallCounts calls) {
    this.router = router;
    this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
    this.idempotency = idempotency;
    this.calls = calls;
  }

  Router router() {
    return router;
  }

  /** A read: no token, no idempotency. */
  void get(String path, Handler handler) {
    route(HttpMethod.GET, path, false, handler);
  }

  /** A mutation: admin token required, {@code Idempotency-Key} honoured. */
  void post(String path, Handler handler) {
    route(HttpMethod.POST, path, true, handler);
  }

  /** The data plane ({@code …/predict}): neither token nor idempotency, like production traffic. */
  void dataPlane(String path, Handler handler) {
    route(HttpMethod.POST, path, false, handler);
  }

  private void route(HttpMethod method, String path, boolean admin, Handler handler) {
    String endpoint = method.name() + " " + path;
    Route route = router.route(method, path);
    route.handler(ctx -> {
      calls.onReceived(endpoint);
      ctx.next();
    });
    if (admin) {
      route.handler(ctx -> {
        if (!authorized(ctx)) {
          calls.onUnauthorized(endpoint);
          send(ctx, new Reply(401, new DemoHttpException(401, "unauthorized",
              "X-Admin-Token is missing or wrong").body()));
          return;
        }
        ctx.next();
      });
      route.handler(ctx -> idempotent(ctx, endpoint));
    }
    route.handler(ctx -> {
      calls.onExecuted(endpoint);
      Future<Reply> reply;
      try {
        reply = handler.handle(ctx);
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onComplete(done -> send(ctx, done.succeeded() ? done.result() : failure(ctx, done.cause())));
    });
  }

  private boolean authorized(RoutingContext ctx) {
    String given = ctx.request().getHeader("X-Admin-Token");
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), adminToken);
  }

  private void idempotent(RoutingContext ctx, String endpoint) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null || key.isBlank()) {
      ctx.next();
      return;
    }
    String id = IdempotencyStore.id(key, ctx.request().method().name(), ctx.normalizedPath(), ctx.body().buffer());
    Optional<IdempotencyStore.Entry> existing = idempotency.claim(id);
    if (existing.isEmpty()) {
      ctx.put(PENDING_KEY, id);
      ctx.next();
      return;
    }
    IdempotencyStore.Entry entry = existing.get();
    if (!entry.done()) {
      send(ctx, new Reply(409, new DemoHttpException(409, "idempotency_key_in_use",
          "a request with Idempotency-Key " + key + " is still running").body()));
      return;
    }
    calls.onReplayed(endpoint);
    ctx.response().setStatusCode(entry.status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Idempotent-Replayed", "true")
        .end(entry.response);
  }

  private static Reply failure(RoutingContext ctx, Throwable cause) {
    if (cause instanceof DemoHttpException e) {
      return new Reply(e.status, e.body());
    }
    LOG.warn("demo {} {} failed", ctx.request().method(), ctx.normalizedPath(), cause);
    return new Reply(500, new DemoHttpException(500, "internal", String.valueOf(cause.getMessage())).body());
  }

  /** Ends the response, remembering it first when the request carried an idempotency key. */
  void send(RoutingContext ctx, Reply reply) {
    if (ctx.response().ended()) {
      return;
    }
    Buffer body = reply.body().toBuffer();
    String pending = ctx.get(PENDING_KEY);
    if (pending != null) {
      idempotency.complete(pending, reply.status(), body);
    }
    ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json").end(body);
  }

  /** The reply for an unmatched route (404) or a wrong method (405). */
  static Reply unmatched(int status) {
    return new Reply(status, new DemoHttpException(status, status == 404 ? "not_found" : "method_not_allowed",
        status == 404 ? "no such endpoint" : "this endpoint does not take that method").body());
  }
}
