package dev.rebound.db;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.error.ReboundException;
import java.net.UnknownHostException;

/**
 * The schema could not be brought up to date. The message names the database (without its
 * password) and the root cause as PostgreSQL or Flyway gave it, e.g. the pgvector check's
 * "pgvector extension "vector" is not installed in this database: run scripts/setup.sh".
 */
public final class MigrationFailedException extends ReboundException {
  public MigrationFailedException(DatabaseUrl url, Throwable cause) {
    super("migration_failed", "cannot migrate " + url + ": " + rootMessage(cause), cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    if (root instanceof UnknownHostException) {
      message = "unknown host " + message; // the JDK's message is the bare host name
    }
    // Flyway and the driver spread context over several lines; one line reads better in logs.
    return message.lines().map(String::trim).filter(l -> !l.isEmpty()).reduce((a, b) -> a + " " + b).orElse("");
  }
}
