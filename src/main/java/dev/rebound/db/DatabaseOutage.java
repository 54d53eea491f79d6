package dev.rebound.db;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.error.UnavailableException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells a database that is away (refused, timed out, shut down, connection lost mid-query) from
 * a bug or a refused statement, so the HTTP edge answers 503 naming the database instead of a
 * 500 with a reference: the request may well succeed once the database is back.
 */
public final class DatabaseOutage {
  /** admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down). */
  private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");

  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

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
    return t instanceof ConnectException && t.getMessage() != null && triedDatabase(t.getMessage(), url);
  }

  /**
   * Whether a refused connection was to the database: Netty's message ends with the address it
   * tried, "Connection refused: localhost/127.0.0.1:5432" (or "/127.0.0.1:5432" for an address
   * given as such). Host and port both count: a runbook target on the database's port elsewhere
   * is not the database.
   */
  static boolean triedDatabase(String message, DatabaseUrl url) {
    String address = message.substring(message.lastIndexOf(' ') + 1);
    int colon = address.lastIndexOf(':');
    if (colon < 0 || !address.substring(colon + 1).equals(Integer.toString(url.port()))) {
      return false;
    }
    String[] nameAndIp = address.substring(0, colon).split("/", 2);
    String host = url.host().replaceAll("^\\[|]$", "");
    return nameAndIp[0].equalsIgnoreCase(host) || nameAndIp.length == 2 && sameIp(nameAndIp[1], host);
  }

  private static boolean sameIp(String tried, String host) {
    if (!IP_LITERAL.matcher(host).matches()) {
      return false; // a name: compared above, and resolving it here could block
    }
    try {
      return InetAddress.getByName(tried).equals(InetAddress.getByName(host));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
