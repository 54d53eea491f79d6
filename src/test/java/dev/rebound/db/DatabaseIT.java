package dev.rebound.db;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.config.Secret;
import dev.rebound.health.CheckResult;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(VertxExtension.class)
class DatabaseIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension static final TestDatabase noVector = TestDatabase.create().withoutMigrations().fromTemplate("template0");
  @RegisterExtension static final TestDatabase empty = TestDatabase.create().withoutMigrations();

  @Test
  void a_fresh_database_gets_the_foundation_tables() throws Exception {
    List<String> tables = new ArrayList<>();
    try (Connection c = db.jdbc(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "select table_name from information_schema.tables where table_schema = 'public' order by 1")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }

    assertThat(tables).contains("api_tokens", "flyway_schema_history", "runbook_approvals");
  }

  @Test
  void migrating_twice_changes_nothing_and_readiness_is_up(Vertx vertx) throws Exception {
    Database database = Database.create(vertx, db.url());

    Migrations.Report report = database.migrate().await(30, SECONDS);
    CheckResult ready = database.readinessCheck().check().await(10, SECONDS);

    assertThat(report.executed()).isZero();
    assertThat(ready.up()).isTrue();
    assertThat(ready.details()).containsEntry("schema_version", report.schemaVersion())
        .containsEntry("expected_version", report.schemaVersion());
  }

  @Test
  void readiness_is_down_until_this_process_migrated(Vertx vertx) throws Exception {
    Database database = Database.create(vertx, empty.url());

    CheckResult before = database.readinessCheck().check().await(10, SECONDS);
    database.migrate().await(30, SECONDS);
    CheckResult after = database.readinessCheck().check().await(10, SECONDS);

    assertThat(before.up()).isFalse();
    assertThat(before.details().get("reason")).asString().contains("migrations not applied");
    assertThat(after.up()).isTrue();
  }

  @Test
  void readiness_is_down_when_the_database_is_unreachable(Vertx vertx) throws Exception {
    Database database = Database.create(vertx, db.url().withPort(1));

    CheckResult ready = database.readinessCheck().check().await(10, SECONDS);

    assertThat(ready.up()).isFalse();
    assertThat(ready.details().get("reason")).asString().startsWith("database unreachable");
  }

  @Test
  void migration_fails_clearly_without_pgvector() {
    assertThatThrownBy(() -> Migrations.migrate(noVector.url()))
        .isInstanceOf(MigrationFailedException.class)
        .hasMessageContaining("pgvector extension \"vector\" is not installed in this database: run scripts/setup.sh")
        .satisfies(e -> noVector.url().password().map(Secret::reveal).ifPresent(password ->
            assertThat(e).hasMessageNotContaining(noVector.url().user() + ":" + password)));
  }
}
