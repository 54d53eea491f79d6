package dev.rebound.cli;

import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.config.DatabaseUrl;
import dev.rebound.db.Database;
import dev.rebound.error.ReboundException;
import dev.rebound.error.UnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Rebound's database for one command: its own Vert.x instance and pool, closed when the command
 * ends. Store futures are awaited here, on the CLI's main thread (never an event loop), each
 * bounded by {@code timeout} so an unreachable database fails the command instead of hanging it.
 * Audit logs made by {@link #auditLog} are closed before the pool, so that the seals still under
 * way when the command ends finish instead of meeting a closed pool.
 */
final class Db implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MIGRATE_TIMEOUT = Duration.ofSeconds(60);
  /** How long closing waits for the audit seals under way (one round trip each, normally). */
  private static final Duration SEALS_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final Database database;
  private final Duration timeout;
  private final List<PgAuditLog> auditLogs = new ArrayList<>();

  private Db(Vertx vertx, Database database, Duration timeout) {
    this.vertx = vertx;
    this.database = database;
    this.timeout = timeout;
  }

  /** No I/O yet: the pool connects on the first query. */
  static Db open(DatabaseUrl url, Duration timeout) {
    Vertx vertx = Vertx.vertx();
    return new Db(vertx, Database.create(vertx, url), timeout);
  }

  Pool pool() {
    return database.pool();
  }

  Vertx vertx() {
    return vertx;
  }

  /** The audit log over this pool; closed (its seals under way waited for) before the pool. */
  PgAuditLog auditLog(Masker masker) {
    PgAuditLog log = new PgAuditLog(pool(), masker);
    auditLogs.add(log);
    return log;
  }

  /** Brings the schema up to date (Flyway on a worker thread); commands that write call it first. */
  void migrate() {
    await(database.migrate(), MIGRATE_TIMEOUT);
  }

  /**
   * The future's result. Rebound's own failures pass through; anything else (connection refused,
   * authentication, SQL) becomes {@link UnavailableException} naming the database.
   */
  <T> T await(Future<T> future) {
    return await(future, timeout);
  }

  private <T> T await(Future<T> future, Duration limit) {
    try {
      return future.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new UnavailableException(
          "database " + database.url() + " did not answer within " + limit.toSeconds() + "s", e);
    } catch (ReboundException e) {
      throw e;
    } catch (Exception e) {
      // Vert.x rethrows the failure as is, checked ones (ConnectException) included.
      throw new UnavailableException("database " + database.url() + ": " + describe(e), e);
    }
  }

  /** The innermost message: Vert.x wraps the one people can act on ("Connection refused"). */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    if (root instanceof java.net.UnknownHostException) {
      message = "unknown host " + message; // the JDK's message is the bare host name
    }
    return Failures.oneLine(message);
  }

  @Override
  public void close() {
    for (PgAuditLog log : auditLogs) {
      try {
        log.close().await(SEALS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // the database did not answer in time: what is still pending is sealed by the next seal
      }
    }
    try {
      database.close().await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // closing is best effort: the process is about to exit anyway
    } finally {
      try {
        vertx.close().await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // as above
      }
    }
  }
}
