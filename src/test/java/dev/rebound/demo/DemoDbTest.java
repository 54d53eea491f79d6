package dev.rebound.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.config.DatabaseUrl;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/** The demo's pool and schema script, without a database. */
class DemoDbTest {
  @Test
  void aUrlWithoutAPasswordBuildsAPool() {
    Vertx vertx = Vertx.vertx();
    try {
      // Before: "cannot start the demo platform: Password can not be null".
      assertThat(DemoDb.pool(vertx, DatabaseUrl.parse("DATABASE_URL", "postgresql://rebound@127.0.0.1:1/rebound")))
          .isNotNull();
    } finally {
      vertx.close();
    }
  }

  @Test
  void theVectorExtensionIsCreatedInPublicNotInTheSchemaTheScriptIsIn() {
    // The script sets search_path to one demo schema after another; a role allowed to create the
    // extension (a superuser on a fresh database) created it in demo_registry, and demo_rag's
    // "vector(384)" then failed: type "vector" does not exist. Rebound's tables need it in public too.
    String schema = DemoDb.resource("schema.sql");
    assertThat(schema).containsPattern("(?m)^create extension if not exists vector schema public;")
        .doesNotContainPattern("(?m)^create extension if not exists vector;");
  }
}
