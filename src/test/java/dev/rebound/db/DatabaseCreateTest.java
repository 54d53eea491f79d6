package dev.rebound.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.config.DatabaseUrl;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/** Building the pool, without a database: nothing connects before the first query. */
class DatabaseCreateTest {
  @Test
  void aUrlWithoutAPasswordBuildsAPool() {
    // Trust or peer authentication: DATABASE_URL=postgresql://rebound@host/rebound. Before, every
    // command failed at once with Vert.x's "Password can not be null".
    Vertx vertx = Vertx.vertx();
    try {
      Database database = Database.create(vertx, DatabaseUrl.parse("DATABASE_URL", "postgresql://rebound@127.0.0.1:1/rebound"));
      assertThat(database.pool()).isNotNull();
    } finally {
      vertx.close();
    }
  }
}
