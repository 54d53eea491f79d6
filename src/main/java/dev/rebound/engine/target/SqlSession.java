package dev.rebound.engine.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One open transaction on a datasource, handed to {@link Datasources.SqlWork}. The only way to
 * run SQL through it is {@link #prepare}: fixed text plus bind values, with
 * {@code statement_timeout} re-set to what is left of the deadline before each statement, so two
 * queries of one check cannot together overrun it.
 */
public final class SqlSession {
  static final int FETCH_SIZE = 256;

  private final Connection connection;
  private final Deadline deadline;

  SqlSession(Connection connection, Deadline deadline) {
    this.connection = connection;
    this.deadline = deadline;
  }

  /** Must run first in the transaction: SET TRANSACTION is refused after a query. */
  void begin(boolean readOnly, Optional<String> searchPath) throws SQLException {
    if (readOnly) {
      try (Statement s = connection.createStatement()) {
        s.execute("set transaction read only");
      }
    }
    setLocal("TimeZone", "UTC");
    if (searchPath.isPresent()) {
      setLocal("search_path", searchPath.get());
    }
  }

  /**
   * {@code sql} (fixed text with {@code $1}… placeholders, see {@link PgPlaceholders}) with
   * {@code args} bound as parameters (see {@link SqlArgs}); results stream with a fetch size. The
   * caller closes it.
   */
  public PreparedStatement prepare(String sql, List<JsonNode> args) throws SQLException {
    PgPlaceholders.Translated translated = PgPlaceholders.translate(sql);
    List<JsonNode> bound = new ArrayList<>();
    for (int number : translated.argNumbers()) {
      if (number < 1 || number > args.size()) {
        throw new SQLException("the SQL uses $" + number + " but " + args.size() + " args are given", "42P02");
      }
      bound.add(args.get(number - 1));
    }
    refreshTimeout();
    PreparedStatement statement = connection.prepareStatement(translated.jdbcSql());
    try {
      SqlArgs.bind(statement, bound);
      statement.setFetchSize(FETCH_SIZE);
      return statement;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  private void refreshTimeout() throws SQLException {
    long ms = deadline.remaining().toMillis();
    if (ms <= 0) {
      throw new SQLTimeoutException("the deadline passed before the statement started", "57014");
    }
    setLocal("statement_timeout", String.valueOf(ms));
  }

  private void setLocal(String name, String value) throws SQLException {
    // set_config(..., true) is SET LOCAL with bind values: it ends with the transaction.
    try (PreparedStatement s = connection.prepareStatement("select set_config(?, ?, true)")) {
      s.setString(1, name);
      s.setString(2, value);
      s.execute();
    }
  }
}
