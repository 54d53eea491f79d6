package dev.rebound.db;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.error.UnavailableException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a database that is away (refused, timed out, shut down, connection lost mid-query) from
 * a bug or a refused statement, so the HTTP edge answers 503 naming the database instead of a
 * 500 with a reference: the request may well succeed once the database is back.
 */
public final class DatabaseOutage {
  /** admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down). */
  private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");

  private DatabaseOutage() {}

  /**
   * {@code failure} as "database URL unavailable: what happened" when it, or a cause, is the
   * database at {@code url} going away; empty for anything else. A connection refused elsewhere
   * (a runbook target, the model endpoint) is not the database's and is left alone.
   */
  public static Optional<UnavailableException> of(Throwable failure, DatabaseUrl url) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (isOutage(t, url)) {
        return Optional.of(new UnavailableException("database " + url + " unavailable: " + message(t), failure));
      }
    }
    return Optional.empty();
  }

  private static boolean isOutage(Throwable t, DatabaseUrl url) {
    if (t instanceof ClosedConnectionException) {
      return true;
    }
    if (t instanceof PgException pg && pg.getSqlState() != null) {
      return pg.getSqlState().startsWith("08") || SHUTDOWN_STATES.contains(pg.getSqlState());
    }
    // Netty's message ends with the address it tried: "Connection refused: localhost/127.0.0.1:5432".
    return t instanceof ConnectException && t.getMessage() != null && t.getMessage().endsWith(":" + url.port());
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
