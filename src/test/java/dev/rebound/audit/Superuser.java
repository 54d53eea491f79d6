package dev.rebound.audit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rebound.config.DatabaseUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs SQL as a PostgreSQL superuser, the attacker the audit chain must expose: with
 * {@code REBOUND_TEST_SUPERUSER_URL} (a {@code postgresql://} URL of a superuser on the test
 * server) if set, else as root through {@code runuser -u postgres -- psql} on the local server.
 * Tests that need one are skipped, with the reason, when neither is available.
 */
public final class Superuser {
  private static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "::1");

  private Superuser() {}

  /** Skips the calling test unless superuser SQL can be run against {@code url}'s server. */
  public static void assumeAvailable(DatabaseUrl url) {
    String configured = System.getenv("REBOUND_TEST_SUPERUSER_URL");
    if (configured != null && !configured.isBlank()) {
      return;
    }
    assumeTrue("root".equals(System.getProperty("user.name")) && onPath("runuser") && onPath("psql"),
        "tamper tests need PostgreSQL superuser access: run them as root (they use runuser -u postgres psql)"
            + " or set REBOUND_TEST_SUPERUSER_URL");
    assumeTrue(LOCAL.contains(url.host()),
        "tamper tests via runuser need the test server on this machine, not " + url.host()
            + "; set REBOUND_TEST_SUPERUSER_URL instead");
  }

  /** Runs {@code sql} (several statements allowed, one transaction) in {@code url}'s database. */
  public static void run(DatabaseUrl url, String sql) throws IOException, InterruptedException, SQLException {
    String configured = System.getenv("REBOUND_TEST_SUPERUSER_URL");
    if (configured != null && !configured.isBlank()) {
      DatabaseUrl su = DatabaseUrl.parse("REBOUND_TEST_SUPERUSER_URL", configured).withDatabase(url.database());
      try (Connection c = DriverManager.getConnection(su.jdbcUrl(), su.user(),
              su.password().map(dev.rebound.config.Secret::reveal).orElse(null));
          Statement s = c.createStatement()) {
        s.execute(sql);
      }
      return;
    }
    Process process = new ProcessBuilder(List.of("runuser", "-u", "postgres", "--", "psql", "-X", "-q",
        "-v", "ON_ERROR_STOP=1", "-p", String.valueOf(url.port()), "-d", url.database(), "-c", sql))
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("psql as postgres failed: " + output);
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
