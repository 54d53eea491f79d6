package dev.rebound.http;

import dev.rebound.error.ForbiddenException;
import dev.rebound.error.UnauthenticatedException;
import dev.rebound.inventory.Role;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Authentication and role checks for routes. Every request under {@code /api/} is authenticated
 * by {@link #authenticate()} before its body is read; each route then states its minimum role
 * with {@link #require(Role)}. A route outside {@code /api/} that uses {@code require} is
 * authenticated there instead, so forgetting the prefix cannot make a route public.
 */
public final class Authz {
  private static final String IDENTITY = "rebound.identity";

  private final BearerAuthenticator authenticator;

  Authz(BearerAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  /**
   * Lets the request through when the caller's role allows {@code minimum}; otherwise fails it
   * with 401 (no or bad token) or 403 (role too low). Put it first on the route.
   */
  public Handler<RoutingContext> require(Role minimum) {
    return ctx -> {
      RequestMetrics.markRoute(ctx);
      Identity known = ctx.get(IDENTITY);
      if (known != null) {
        checkRole(ctx, known, minimum);
      } else {
        authenticateThen(ctx, identity -> checkRole(ctx, identity, minimum));
      }
    };
  }

  /** The caller of a request that passed {@link #require(Role)}. */
  public static Identity identity(RoutingContext ctx) {
    Identity identity = ctx.get(IDENTITY);
    if (identity == null) {
      // A route read the identity without requiring a role: a wiring bug, never a public route.
      throw new UnauthenticatedException("not authenticated");
    }
    return identity;
  }

  /** Router-level handler for {@code /api/*}: establishes the identity or fails with 401. */
  Handler<RoutingContext> authenticate() {
    return ctx -> {
      RequestMetrics.markRoute(ctx);
      authenticateThen(ctx, identity -> ctx.next());
    };
  }

  private void authenticateThen(RoutingContext ctx, Handler<Identity> then) {
    HttpServerRequest request = ctx.request();
    // The lookup may be asynchronous: pause so body chunks that arrive meanwhile are kept for
    // the BodyHandler that runs after us instead of being dropped.
    boolean paused = !request.isEnded();
    if (paused) {
      request.pause();
    }
    authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION)).onComplete(result -> {
      if (paused) {
        request.resume();
      }
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      ctx.put(IDENTITY, result.result());
      try {
        then.handle(result.result());
      } catch (RuntimeException e) {
        // Thrown inside a future callback it would be lost and the request would hang.
        ctx.fail(e);
      }
    });
  }

  private static void checkRole(RoutingContext ctx, Identity identity, Role minimum) {
    if (identity.role().allows(minimum)) {
      ctx.next();
    } else {
      ctx.fail(new ForbiddenException("this needs role " + minimum.yamlName() + "; "
          + identity.id() + " has role " + identity.role().yamlName()));
    }
  }
}
