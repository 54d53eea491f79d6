package dev.rebound.http;

import io.vertx.ext.web.Router;

/**
 * A group of endpoints a feature package contributes, e.g. runbooks or runs. Mounted after
 * authentication and body parsing, so every request under {@code /api/} already carries an
 * {@link Identity} and a parsed body (at most the configured limit, no file uploads).
 *
 * <p>Every route must state its minimum role first, before any handler that reads or changes
 * anything:
 *
 * <pre>{@code
 * router.get("/api/runbooks/:id").handler(authz.require(Role.VIEWER)).handler(this::get);
 * }</pre>
 *
 * Failures go through {@code ctx.fail(exception)} (or a failed future) with an exception from
 * {@code dev.rebound.error}; the router's failure handler renders it.
 */
@FunctionalInterface
public interface ApiRoutes {
  void mount(Router router, Authz authz);
}
