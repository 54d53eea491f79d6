/**
 * Rebound's own PostgreSQL: the Vert.x {@link io.vertx.sqlclient.Pool} built from the
 * configuration ({@link dev.rebound.db.Database}), the Flyway migrations that shape the schema
 * ({@link dev.rebound.db.Migrations}, SQL in {@code src/main/resources/db/migration/}), and the
 * stores for the tables created by the foundation migration: runbook version approvals
 * ({@link dev.rebound.db.RunbookApprovalStore}) and API tokens ({@link dev.rebound.db.TokenStore}).
 *
 * <p>Threading: store methods return Vert.x futures and never block. Flyway is blocking JDBC and
 * runs either before Vert.x starts or through {@code executeBlocking} ({@link
 * dev.rebound.db.Database#migrate()}). Callers outside Vert.x (the CLI's main thread) may wait
 * on a store future with {@code future.await(timeout, unit)}, which blocks a non-Vert.x thread
 * and must never be called on an event loop.
 *
 * <p>May import Vert.x core and SQL client, Flyway, {@code dev.rebound.config},
 * {@code dev.rebound.error}, {@code dev.rebound.health} and {@code dev.rebound.inventory.Role};
 * must never import {@code dev.rebound.http} or Vert.x Web.
 */
package dev.rebound.db;
