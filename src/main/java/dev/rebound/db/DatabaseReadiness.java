package dev.rebound.db;

import dev.rebound.health.CheckResult;
import dev.rebound.health.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;

/** Readiness of Rebound's database: reachable, and migrated to the version this build needs. */
final class DatabaseReadiness implements ReadinessCheck {
  private static final String HISTORY =
      "select version, success from flyway_schema_history where version is not null";

  private final Pool pool;
  private final MigrationState migrations;

  DatabaseReadiness(Pool pool, MigrationState migrations) {
    this.pool = pool;
    this.migrations = migrations;
  }

  @Override
  public String name() {
    return "database";
  }

  @Override
  public Future<CheckResult> check() {
    return pool.query(HISTORY).execute()
        .map(rows -> {
          MigrationVersion newest = MigrationVersion.EMPTY;
          for (Row row : rows) {
            if (!row.getBoolean("success")) {
              return CheckResult.down("migration " + row.getString("version") + " failed");
            }
            MigrationVersion version = MigrationVersion.fromVersion(row.getString("version"));
            newest = version.isNewerThan(newest) ? version : newest;
          }
          return verdict(newest);
        })
        .recover(e -> Future.succeededFuture(CheckResult.down(describe(e))));
  }

  private CheckResult verdict(MigrationVersion newest) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("schema_version", newest == MigrationVersion.EMPTY ? "none" : newest.getVersion());
    if (migrations.expectedVersion().isEmpty()) {
      return CheckResult.down("migrations have not been run by this process", details);
    }
    String expected = migrations.expectedVersion().get();
    details.put("expected_version", expected);
    if (MigrationVersion.fromVersion(expected).isNewerThan(newest)) {
      return CheckResult.down("schema is older than this build expects", details);
    }
    return CheckResult.up(details);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (message.contains("flyway_schema_history")) {
      return "migrations not applied (no flyway_schema_history table)";
    }
    return "database unreachable: " + message;
  }
}
