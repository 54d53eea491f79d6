/**
 * The readiness port: {@link dev.rebound.health.ReadinessCheck}, which any component (database,
 * retrieval index, model endpoint…) implements so {@code GET /health/ready} can report it. It lives
 * apart from {@code dev.rebound.http} so that components contribute checks without importing the
 * HTTP edge.
 *
 * <p>Imports only Vert.x core's {@code Future} and the JDK; must never import
 * {@code dev.rebound.http} or any domain package.
 */
package dev.rebound.health;
