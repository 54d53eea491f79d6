package dev.rebound.db;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.Secret;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations in {@code classpath:db/migration}. Blocking (JDBC): call it
 * before Vert.x starts, or from a worker via {@link Database#migrate()}. Safe to run from several
 * replicas at once: Flyway serialises them with a PostgreSQL advisory lock.
 */
public final class Migrations {
  public static final String LOCATION = "classpath:db/migration";

  private Migrations() {}

  /** What {@link #migrate} did and the schema version the database is at afterwards. */
  public record Report(int executed, String schemaVersion) {}

  /**
   * Migrates the database to the newest version this build ships.
   *
   * @throws MigrationFailedException naming the failing migration and PostgreSQL's message
   */
  public static Report migrate(DatabaseUrl url) {
    Flyway flyway = Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password().map(Secret::reveal).orElse(null))
        .locations(LOCATION)
        .failOnMissingLocations(true)
        // A production database of a disaster-recovery tool must never be wiped by a stray call.
        .cleanDisabled(true)
        .load();
    try {
      MigrateResult result = flyway.migrate();
      MigrationInfo current = flyway.info().current();
      String version = current == null ? "none" : current.getVersion().getVersion();
      return new Report(result.migrationsExecuted, version);
    } catch (FlywayException e) {
      throw new MigrationFailedException(url, e);
    }
  }
}
