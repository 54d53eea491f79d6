package dev.rebound.retrieval.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.config.Secret;
import dev.rebound.db.Migrations;
import dev.rebound.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bench scale --search-only} over a database kept by an older build: it is brought to this
 * build's schema before the search is measured, instead of measuring without the newer indexes.
 */
class KeptScaleDatabaseIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create().withoutMigrations();

  private static final String PER_KIND_INDEXES = "select indexname from pg_indexes where tablename ="
      + " 'retrieval_chunks' and indexname like 'retrieval_chunks_embedding_%' order by indexname";

  @Test
  void a_database_kept_before_the_per_kind_indexes_gets_them_before_the_search_is_measured() throws Exception {
    // As a database kept by a build before V24 is: no per-kind HNSW indexes.
    Flyway.configure().dataSource(db.url().jdbcUrl(), db.url().user(),
            db.url().password().map(Secret::reveal).orElse(null))
        .locations(Migrations.LOCATION).target("23").load().migrate();
    assertThat(db.rows(PER_KIND_INDEXES)).isEmpty();

    String line = ScaleBenchmark.migrateKept(db.url());

    assertThat(db.rows(PER_KIND_INDEXES)).containsExactly("retrieval_chunks_embedding_asset",
        "retrieval_chunks_embedding_doc", "retrieval_chunks_embedding_incident", "retrieval_chunks_embedding_runbook");
    assertThat(line).startsWith("kept database " + db.url().database() + ": schema at version ")
        .containsPattern(" after \\d+ migrations? it lacked");
    assertThat(db.rows("select success::text from flyway_schema_history where version = '24'")).containsExactly("true");

    assertThat(ScaleBenchmark.migrateKept(db.url())).as("a second time there is nothing to do")
        .doesNotContain("after");
  }
}
