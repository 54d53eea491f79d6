package dev.rebound.testing;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.ReboundConfig;
import dev.rebound.config.Secret;
import dev.rebound.db.Database;
import dev.rebound.db.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh PostgreSQL database for one test class, so tests cannot see each other's rows. It is
 * created before the class's first test ({@code create database rebound_it_… template template1};
 * template1 has pgvector, see scripts/setup.sh), migrated with the real Flyway migrations, and
 * dropped after the last test, open connections and all.
 *
 * <pre>{@code
 * @ExtendWith(VertxExtension.class)
 * class MyStoreIT {
 *   @RegisterExtension static final TestDatabase db = TestDatabase.create();
 *
 *   @Test void stores(Vertx vertx) throws Exception {
 *     Database database = db.database(vertx).await(30, SECONDS);  // migrated, pool ready
 *     MyStore store = new MyStore(database.pool());
 *     ...
 *     try (Connection c = db.jdbc()) { ... }                      // plain JDBC for assertions
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #url()} / {@link #urlText()}: where it is; {@link #config()} and
 *       {@link #config(Map)}: a {@link ReboundConfig} whose {@code DATABASE_URL} points at it,
 *       plus whatever other variables the test passes (e.g. {@code REBOUND_HTTP_PORT=0}).
 *   <li>{@link #database(Vertx)}: a {@link Database} on the given Vert.x, migrated (so its
 *       readiness check is up). Closing the Vert.x instance closes its pool.
 *   <li>{@link #withoutMigrations()}, {@link #fromTemplate(String)}: for tests of the
 *       migrations themselves.
 * </ul>
 *
 * The server is the one {@code REBOUND_TEST_DATABASE_URL} names, else {@code DATABASE_URL}, else
 * the default {@code postgresql://rebound:rebound-local-pw@localhost:5432/rebound}; its role needs
 * CREATEDB. Databases left behind by a killed run are dropped by a later run once they are six
 * hours old (the creation time is in the name).
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {
  private static final String PREFIX = "rebound_it_";
  private static final Pattern NAME = Pattern.compile(PREFIX + "(\\d+)_[0-9a-f]+");
  private static final Duration LEFTOVER_AGE = Duration.ofHours(6);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DatabaseUrl server;
  private String template = "template1";
  private boolean migrate = true;
  private DatabaseUrl url;

  private TestDatabase(DatabaseUrl server) {
    this.server = server;
  }

  /** A migrated database on the test server; register with {@code @RegisterExtension static}. */
  public static TestDatabase create() {
    String text = firstSet(System.getenv("REBOUND_TEST_DATABASE_URL"), System.getenv("DATABASE_URL"),
        ReboundConfig.DEFAULT_DATABASE_URL);
    return new TestDatabase(DatabaseUrl.parse("REBOUND_TEST_DATABASE_URL", text));
  }

  /** Leaves the database empty (no Flyway run) for tests that migrate it themselves. */
  public TestDatabase withoutMigrations() {
    this.migrate = false;
    return this;
  }

  /** Copies another template, e.g. {@code template0}, which has no pgvector. */
  public TestDatabase fromTemplate(String templateName) {
    this.template = templateName;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    dropLeftovers();
    String name = PREFIX + Instant.now().getEpochSecond() + "_" + HexFormat.of().formatHex(randomBytes(4));
    createDatabase(name);
    url = server.withDatabase(name);
    if (migrate) {
      Migrations.migrate(url);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    if (url != null) {
      dropWithRetries(url.database());
      url = null;
    }
  }

  /**
   * {@code with (force)} cannot end an autovacuum worker (a superuser's process) for our
   * non-superuser role; such a worker finishes within moments, so retry briefly. A database that
   * still cannot be dropped is left for {@link #dropLeftovers} of a later run rather than failing a
   * test that passed.
   */
  private void dropWithRetries(String database) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = maintenance(); Statement s = c.createStatement()) {
        s.execute("drop database if exists " + database + " with (force)");
        return;
      } catch (SQLException e) {
        if (attempt >= 10) {
          System.err.println("TestDatabase: could not drop " + database + ": " + e.getMessage());
          return;
        }
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The test database's location and credentials. */
  public DatabaseUrl url() {
    requireStarted();
    return url;
  }

  /** {@link #url()} as a {@code postgresql://} URL including the password, as DATABASE_URL takes it. */
  public String urlText() {
    DatabaseUrl u = url();
    String password = u.password().map(Secret::reveal)
        .map(p -> ":" + URLEncoder.encode(p, StandardCharsets.UTF_8)).orElse("");
    return "postgresql://" + URLEncoder.encode(u.user(), StandardCharsets.UTF_8) + password + "@"
        + u.host() + ":" + u.port() + "/" + u.database();
  }

  /** Configuration pointing at this database, no file, everything else default. */
  public ReboundConfig config() {
    return config(Map.of());
  }

  /** Configuration pointing at this database plus the given environment variables. */
  public ReboundConfig config(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("DATABASE_URL", urlText());
    return ReboundConfig.from(all);
  }

  /**
   * A {@link Database} for this database on {@code vertx}, after {@link Database#migrate()} (a
   * quick no-op when already migrated, and what makes its readiness check report up).
   */
  public Future<Database> database(Vertx vertx) {
    Database database = Database.create(vertx, url());
    return database.migrate().map(report -> database);
  }

  /** A new JDBC connection to the test database; the caller closes it. */
  public Connection jdbc() throws SQLException {
    DatabaseUrl u = url();
    return DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password().map(Secret::reveal).orElse(null));
  }

  /** The first column of every row {@code sql} returns, as text, on a connection of its own. */
  public List<String> rows(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Runs {@code sql} on a connection of its own. */
  public void execute(String sql) throws SQLException {
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Stores an open incident with each of these ids (runs may name only incidents that exist). */
  public void incidents(String... ids) throws SQLException {
    for (String id : ids) {
      execute("insert into incidents (id, title, occurred_at, severity, status, source, content_hash) values ('" + id
          + "', 'test incident " + id + "', now(), 'sev3', 'open', 'api', repeat('0', 64)) on conflict (id) do nothing");
    }
  }

  /** The run's audit actions, oldest first, read as {@link #auditReader} reads (pending entries sealed first). */
  public List<String> auditActions(String runId) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = auditReader();
        PreparedStatement s = c.prepareStatement("select action from audit_log where run_id = ? order by seq")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /**
   * A JDBC connection for reading {@code audit_log} directly: pending audit entries are sealed
   * first, as every reader in the application does, so an entry committed before the call is in
   * the chain. The caller closes it.
   */
  public Connection auditReader() throws SQLException {
    Connection c = jdbc();
    try (Statement s = c.createStatement()) {
      s.execute("select count(*) from audit_seal(1000000)");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void createDatabase(String name) throws SQLException {
    // Two CREATE DATABASE from the same template at once can fail with "source database is
    // being accessed by other users" (other test JVMs on this machine): retry briefly.
    for (int attempt = 1; ; attempt++) {
      try (Connection c = maintenance(); Statement s = c.createStatement()) {
        s.execute("create database " + name + " template " + template);
        return;
      } catch (SQLException e) {
        if (attempt == 5 || !String.valueOf(e.getMessage()).contains("being accessed by other users")) {
          throw e;
        }
        sleep(200L * attempt);
      }
    }
  }

  private void dropLeftovers() throws SQLException {
    long cutoff = Instant.now().minus(LEFTOVER_AGE).getEpochSecond();
    List<String> old = new ArrayList<>();
    try (Connection c = maintenance(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select datname from pg_database where datname like '" + PREFIX + "%'")) {
      while (rs.next()) {
        Matcher m = NAME.matcher(rs.getString(1));
        if (m.matches() && Long.parseLong(m.group(1)) < cutoff) {
          old.add(rs.getString(1));
        }
      }
      for (String name : old) {
        s.execute("drop database if exists " + name + " with (force)");
      }
    }
  }

  /** A connection to the server's own database (never to the template, which would block copies). */
  private Connection maintenance() throws SQLException {
    return DriverManager.getConnection(
        server.jdbcUrl(), server.user(), server.password().map(Secret::reveal).orElse(null));
  }

  private void requireStarted() {
    if (url == null) {
      throw new IllegalStateException("TestDatabase is not started: register it with @RegisterExtension static");
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static String firstSet(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    throw new IllegalArgumentException("no value");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
