package dev.rebound.engine.target;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.Datasource;
import dev.rebound.config.ReboundConfig;
import dev.rebound.config.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The SQL datasources runbooks may name ({@code datasources:} in {@code rebound.yaml}) and the one
 * way to use them: {@link #inTransaction}. A datasource with {@code search_path} is a schema in
 * Rebound's own database ({@code DATABASE_URL}) and gets that search_path; one with
 * {@code url_env} is the database in that variable's URL.
 *
 * <p>Each call opens its own connection, runs the work in one transaction with
 * {@code statement_timeout} set from the deadline and {@code TimeZone} UTC, commits, and closes.
 * Transaction semantics make failures precise: anything that fails before COMMIT was rolled back
 * (nothing applied, retry is safe); only a failure during COMMIT leaves the outcome unknown.
 * Statements that cannot run in a transaction block ({@code VACUUM}, {@code CREATE INDEX
 * CONCURRENTLY}) are therefore not supported.
 *
 * <p>Note for operators: a {@code search_path} datasource runs with Rebound's own database role,
 * so approved runbook SQL could reach Rebound's tables by qualified name. Production datasources
 * should use {@code url_env} with a role granted only what the runbooks need.
 */
public final class Datasources {
  private static final int MIN_SOCKET_SLACK_SECONDS = 5;

  private final DatabaseUrl own;
  private final Map<String, Datasource> configured;

  public Datasources(DatabaseUrl own, Map<String, Datasource> configured) {
    this.own = own;
    this.configured = Collections.unmodifiableMap(new LinkedHashMap<>(configured));
  }

  public static Datasources from(ReboundConfig config) {
    return new Datasources(config.database(), config.datasources());
  }

  public Set<String> names() {
    return configured.keySet();
  }

  /** Work done on one connection inside one transaction; see {@link SqlSession}. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(SqlSession session) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on datasource {@code name}, finishing by
   * {@code deadline}. {@code readOnly} makes the server refuse writes ({@code SET TRANSACTION
   * READ ONLY}); checks always use it.
   *
   * @throws TargetCallException for an unknown or unusable datasource, a connection failure, an
   *     SQL error or a timeout; retryable and outcome-unknown as described on the class
   */
  public <T> T inTransaction(String name, boolean readOnly, Deadline deadline, SqlWork<T> work) {
    Datasource datasource = configured.get(name);
    if (datasource == null) {
      throw TargetCallException.permanent("datasource '" + name + "' is not configured (known: "
          + String.join(", ", configured.keySet()) + ")");
    }
    if (datasource.isMissingUrl()) {
      throw TargetCallException.permanent("datasource '" + name + "' needs the environment variable "
          + datasource.urlEnv().orElse("?") + ", which is not set");
    }
    DatabaseUrl url = datasource.url().orElse(own);
    Optional<String> searchPath = datasource.url().isPresent() ? Optional.empty() : datasource.searchPath();
    String where = "datasource '" + name + "'";

    Connection connection;
    try {
      connection = connect(url, deadline);
    } catch (SQLException e) {
      throw SqlFailures.onConnect(where, e, deadline);
    }
    try {
      SqlSession session = new SqlSession(connection, deadline);
      T result;
      try {
        connection.setAutoCommit(false);
        session.begin(readOnly, searchPath);
        result = work.run(session);
      } catch (SQLException e) {
        rollbackQuietly(connection);
        throw SqlFailures.beforeCommit(where, e, deadline);
      } catch (RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
      try {
        connection.commit();
      } catch (SQLException e) {
        throw SqlFailures.onCommit(where, e);
      }
      return result;
    } finally {
      closeQuietly(connection);
    }
  }

  private static Connection connect(DatabaseUrl url, Deadline deadline) throws SQLException {
    long seconds = Math.max(1, ceilSeconds(deadline.remaining()));
    Properties props = new Properties();
    props.setProperty("user", url.user());
    url.password().map(Secret::reveal).ifPresent(p -> props.setProperty("password", p));
    props.setProperty("ApplicationName", "rebound-runbook");
    // Values are always sent as bind parameters, never inlined by the driver.
    props.setProperty("preferQueryMode", "extended");
    props.setProperty("connectTimeout", String.valueOf(Math.min(seconds, 10)));
    props.setProperty("loginTimeout", String.valueOf(Math.min(seconds, 10)));
    // Backstop for a server that stops answering: statement_timeout is enforced server-side and
    // cannot fire if the network is gone.
    props.setProperty("socketTimeout", String.valueOf(seconds + MIN_SOCKET_SLACK_SECONDS));
    props.setProperty("tcpKeepAlive", "true");
    url.sslMode().ifPresent(m -> props.setProperty("sslmode", m));
    return DriverManager.getConnection(url.jdbcUrl(), props);
  }

  static long ceilSeconds(Duration d) {
    long ms = d.toMillis();
    return (ms + 999) / 1000;
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Nothing left to do: the transaction has already committed or rolled back.
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The connection is closed next; the server rolls back an unfinished transaction anyway.
    }
  }
}
