package dev.rebound.db;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.Secret;
import dev.rebound.health.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * Rebound's connection to its own PostgreSQL: one Vert.x {@link Pool} for the whole process,
 * plus the migration state that readiness reports.
 *
 * <p>Creating a {@code Database} does no I/O (the pool connects lazily), so a server can start
 * and report "not ready" while the database is down. {@link #migrate()} runs Flyway on a worker
 * thread ({@code executeBlocking}) and must succeed before the schema is used; {@code serve}
 * calls it before deploying the HTTP verticle. Tools that run before Vert.x exists may instead
 * call {@link Migrations#migrate} directly on their own thread.
 */
public final class Database {
  private static final int POOL_SIZE = 8;
  private static final int CONNECT_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final DatabaseUrl url;
  private final Pool pool;
  private final MigrationState migrations = new MigrationState();

  private Database(Vertx vertx, DatabaseUrl url, Pool pool) {
    this.vertx = vertx;
    this.url = url;
    this.pool = pool;
  }

  /** Builds the pool; no connection is made until the first query. */
  public static Database create(Vertx vertx, DatabaseUrl url) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(url.host())
        .setPort(url.port())
        .setDatabase(url.database())
        .setUser(url.user())
        // A URL without a password (trust or peer authentication) must not pass null: Vert.x
        // rejects it before connecting. An empty one is what such a server never asks for.
        .setPassword(url.password().map(Secret::reveal).orElse(""))
        // Without the cache every prepared query costs two round trips (prepare, then execute);
        // with it, one. The schema only changes before the pool is used (Flyway at start-up).
        .setCachePreparedStatements(true);
    url.sslMode().ifPresent(mode -> {
      connect.setSslMode(SslMode.of(mode));
      // libpq semantics: "require" encrypts without verifying the server certificate.
      if (!mode.equals("disable")) {
        connect.setSslOptions(new ClientSSLOptions().setTrustAll(true));
      }
    });
    PoolOptions poolOptions = new PoolOptions()
        .setMaxSize(POOL_SIZE)
        .setName("rebound")
        // Fail a waiting query rather than hang the request when the database is unreachable.
        .setConnectionTimeout(CONNECT_TIMEOUT_MS)
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    Pool pool = PgBuilder.pool()
        .with(poolOptions)
        .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
        .connectingTo(connect)
        .using(vertx)
        .build();
    return new Database(vertx, url, pool);
  }

  /**
   * Runs Flyway (blocking) on a worker thread and records the schema version for readiness.
   * Fails with {@link MigrationFailedException}.
   */
  public Future<Migrations.Report> migrate() {
    return vertx.executeBlocking(() -> Migrations.migrate(url))
        .onSuccess(report -> migrations.applied(report.schemaVersion()));
  }

  public Pool pool() {
    return pool;
  }

  public DatabaseUrl url() {
    return url;
  }

  /**
   * Ready when a query succeeds and the schema is at least at the version {@link #migrate()}
   * brought it to. Re-checked on every call, so a database restored from an older backup shows
   * up as not ready instead of failing requests one by one.
   */
  public ReadinessCheck readinessCheck() {
    return new DatabaseReadiness(pool, migrations);
  }

  public Future<Void> close() {
    return pool.close();
  }
}
