package dev.rebound.retrieval;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.db.Database;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * BM25 over the postings the database keeps from each document's tsvector, and the title words
 * (stop words kept) that tell sibling runbooks apart, through the real indexer and search.
 */
@ExtendWith(VertxExtension.class)
class TextRankingIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private static Document runbook(String id, String title, String body) {
    return new Document(DocKind.RUNBOOK, id, title, "", List.of(new Section("Meaning", body)), id + ".md");
  }

  @Test
  void postings_follow_documents_and_rare_words_outrank_common_ones(Vertx vertx) throws Exception {
    Database database = db.database(vertx).await(30, SECONDS);
    List<Document> corpus = new ArrayList<>(List.of(
        runbook("disk", "Disk full", "The disk of the node is full."),
        runbook("cert", "Certificate expired", "The serving certificate of the node expired."),
        runbook("node", "Node down", "The node is down.")));
    Indexer indexer = new Indexer(vertx, database.pool(), new FakeEmbedder("fake-8", 8));
    indexer.index(corpus, true, IndexProgress.NONE).await(30, SECONDS);

    assertThat(db.rows("select distinct doc_id from retrieval_postings order by 1")).containsExactly("cert", "disk", "node");
    // "disk" is in the title (weight 5), the id (keywords field, 2) and the body (1)
    assertThat(db.rows("select tf::int::text from retrieval_postings where doc_id = 'disk' and lexeme = 'disk'"))
        .containsExactly("8");

    String[] ranked = database.pool().withConnection(conn -> TextRanking.select(conn, "node certificate")
            .compose(terms -> TextRanking.rank(conn, terms, 10, "runbook")))
        .await(30, SECONDS).keySet().stream().map(DocKey::id).toArray(String[]::new);
    // "certificate" is in one document, "node" in all three: the rare word decides
    assertThat(ranked).startsWith("cert");

    corpus.remove(0);
    indexer.index(corpus, false, IndexProgress.NONE).await(30, SECONDS);
    assertThat(db.rows("select count(*)::text from retrieval_postings where doc_id = 'disk'")).containsExactly("0");
  }

  @Test
  void a_title_word_english_drops_as_a_stop_word_still_separates_siblings(Vertx vertx) throws Exception {
    Database database = db.database(vertx).await(30, SECONDS);
    List<Document> corpus = List.of(
        runbook("operator-not-ready", "Prometheus operator not ready", "The operator cannot reconcile its resources."),
        runbook("operator-reconcile-errors", "Prometheus operator reconcile errors",
            "The operator fails to reconcile its resources."));
    new Indexer(vertx, database.pool(), new FakeEmbedder("fake-8", 8)).index(corpus, true, IndexProgress.NONE)
        .await(30, SECONDS);
    assertThat(db.rows("select array_to_string(title_terms, ' ') from retrieval_documents where doc_id = 'operator-not-ready'"))
        .singleElement().asString().contains("not");

    List<String> ids = new HybridSearch(vertx, database.pool(), new FakeEmbedder("fake-8", 8))
        .search(SearchQuery.of("Prometheus operator isn't ready to reconcile resources", DocKind.RUNBOOK, 2))
        .await(30, SECONDS).hits().stream().map(SearchHit::id).toList();
    assertThat(ids).containsExactly("operator-not-ready", "operator-reconcile-errors");
  }

  @Test
  void unfiltered_a_word_in_thousands_of_documents_reads_only_its_best_postings(Vertx vertx) throws Exception {
    Database database = db.database(vertx).await(30, SECONDS);
    new Indexer(vertx, database.pool(), new FakeEmbedder("fake-8", 8))
        .index(List.of(runbook("node", "Node down", "The node is down.")), true, IndexProgress.NONE).await(30, SECONDS);
    int documents = TextRanking.TERM_READS + 100;
    // "disk" once in each, in longer and longer documents: the longest weigh least
    db.execute("insert into retrieval_documents (kind, doc_id, title, source, content_hash, tsv)"
        + " select 'doc', 'd' || lpad(i::text, 5, '0'), 'note ' || i, 'x.md', repeat('0', 64),"
        + " setweight(to_tsvector('english', 'disk ' || repeat('filler ', i)), 'C')"
        + " from generate_series(1, " + documents + ") as i");
    database.pool().withConnection(conn -> PgIndexStore.touch(conn, true)).await(30, SECONDS);

    TextRanking.Selection terms = database.pool().withConnection(conn -> TextRanking.select(conn, "disk"))
        .await(30, SECONDS);
    assertThat(terms.reads()).containsExactly(TextRanking.TERM_READS);
    List<String> unfiltered = database.pool()
        .withConnection(conn -> TextRanking.rank(conn, terms, 2 * documents, null)).await(30, SECONDS)
        .keySet().stream().map(DocKey::id).toList();
    assertThat(unfiltered).hasSize(TextRanking.TERM_READS).startsWith("d00001", "d00002")
        .contains(String.format("d%05d", TextRanking.TERM_READS)).doesNotContain(String.format("d%05d", documents));
    // a kind filter reads every posting of the kind
    assertThat(database.pool().withConnection(conn -> TextRanking.rank(conn, terms, 2 * documents, "doc"))
        .await(30, SECONDS)).hasSize(documents);
  }
}
