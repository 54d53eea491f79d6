/**
 * The HTTP edge: {@link dev.rebound.http.HttpServerVerticle} and its router, bearer-token
 * authentication and role checks ({@link dev.rebound.http.Authz}), health and Prometheus
 * endpoints, and the single failure handler that turns {@code dev.rebound.error} exceptions into
 * {@code {"error": {"code", "message"}}} responses. Feature packages add their endpoints by
 * implementing {@link dev.rebound.http.ApiRoutes}; each route declares its minimum role with
 * {@code authz.require(Role.X)}.
 *
 * <p>A thin edge: parse, authenticate, call, render. No business rules live here, and no other
 * package of Rebound may import this one (config, db, engine, runbook… stay HTTP-free). Handlers
 * run on the event loop and must never block.
 */
package dev.rebound.http;
