package dev.rebound.retrieval.bench;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.Secret;
import dev.rebound.db.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throw-away database next to Rebound's own ({@code rebound_bench_…}, copied from template1,
 * which has pgvector), migrated; dropped by {@link #close()}. The role needs CREATEDB. Blocking.
 */
public final class ScratchDatabase implements AutoCloseable {
  private final DatabaseUrl server;
  private final DatabaseUrl url;

  private ScratchDatabase(DatabaseUrl server, DatabaseUrl url) {
    this.server = server;
    this.url = url;
  }

  public static ScratchDatabase create(DatabaseUrl server, String purpose) throws SQLException {
    String name = "rebound_bench_" + purpose + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try (Connection c = connect(server); Statement s = c.createStatement()) {
      s.execute("create database " + name + " template template1");
    }
    ScratchDatabase db = new ScratchDatabase(server, server.withDatabase(name));
    Migrations.migrate(db.url);
    return db;
  }

  public DatabaseUrl url() {
    return url;
  }

  public Connection jdbc() throws SQLException {
    return connect(url);
  }

  /** Whether the server has a database of that name (a kept one, say). */
  public static boolean exists(DatabaseUrl server, String name) throws SQLException {
    try (Connection c = connect(server);
        PreparedStatement s = c.prepareStatement("select 1 from pg_database where datname = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static Connection connect(DatabaseUrl u) throws SQLException {
    return DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password().map(Secret::reveal).orElse(null));
  }

  private boolean keep;

  /** Leaves the database in place at close (to inspect it); its name is {@link #url()}'s. */
  public ScratchDatabase keep(boolean on) {
    this.keep = on;
    return this;
  }

  @Override
  public void close() throws SQLException {
    if (keep) {
      return;
    }
    try (Connection c = connect(server); Statement s = c.createStatement()) {
      try {
        s.execute("drop database if exists " + url.database() + " with (force)");
      } catch (SQLException e) {
        // FORCE may not terminate an autovacuum worker started by the inserts (it is not the
        // role's process); a plain drop makes autovacuum let go (our own connections are closed).
        s.execute("drop database if exists " + url.database());
      }
    }
  }
}
