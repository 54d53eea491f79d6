package dev.rebound.retrieval;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.db.Database;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Incremental indexing against PostgreSQL, with a cheap fake embedder that counts its work. */
@ExtendWith(VertxExtension.class)
class IndexerIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private static Document doc(String id, String text) {
    return new Document(DocKind.DOC, id, "Doc " + id, "", List.of(new Section("Body", text)), id + ".md");
  }

  @Test
  void adds_then_costs_nothing_then_replaces_changed_and_removes_deleted(Vertx vertx) throws Exception {
    Database database = db.database(vertx).await(30, SECONDS);
    FakeEmbedder embedder = new FakeEmbedder("fake-16", 16);
    Indexer indexer = new Indexer(vertx, database.pool(), embedder);
    List<Document> corpus = new ArrayList<>(List.of(doc("a", "alpha"), doc("b", "beta"), doc("c", "gamma")));
    indexer.index(List.of(), true, IndexProgress.NONE).await(30, SECONDS); // start empty, with this model

    IndexReport first = indexer.index(corpus, false, IndexProgress.NONE).await(30, SECONDS);
    assertThat(List.of(first.added(), first.updated(), first.unchanged(), first.removed())).containsExactly(3, 0, 0, 0);
    int afterFirst = embedder.embedded.get();
    assertThat(first.embeddedChunks()).isEqualTo(afterFirst).isPositive();

    IndexReport again = indexer.index(corpus, false, IndexProgress.NONE).await(30, SECONDS);
    assertThat(List.of(again.added(), again.updated(), again.unchanged(), again.removed())).containsExactly(0, 0, 3, 0);
    assertThat(again.embeddedChunks()).isZero();
    assertThat(embedder.embedded.get()).isEqualTo(afterFirst);

    corpus.set(1, doc("b", "beta, rewritten"));
    corpus.remove(2);
    corpus.add(doc("d", "delta"));
    IndexReport changed = indexer.index(corpus, false, IndexProgress.NONE).await(30, SECONDS);
    assertThat(List.of(changed.added(), changed.updated(), changed.unchanged(), changed.removed())).containsExactly(1, 1, 1, 1);
    assertThat(db.rows("select doc_id from retrieval_documents order by doc_id")).containsExactly("a", "b", "d");
    assertThat(db.rows("select distinct doc_id from retrieval_chunks order by doc_id")).containsExactly("a", "b", "d");
    assertThat(db.rows("select body from retrieval_chunks where doc_id = 'b'")).containsExactly("beta, rewritten");

    Staleness fresh = indexer.staleness(corpus).await(30, SECONDS);
    assertThat(fresh.stale()).isFalse();
    Staleness stale = indexer.staleness(List.of(doc("a", "alpha!"), doc("e", "new"))).await(30, SECONDS);
    assertThat(stale.changed()).extracting(DocKey::id).containsExactly("a");
    assertThat(stale.added()).extracting(DocKey::id).containsExactly("e");
    assertThat(stale.removed()).extracting(DocKey::id).containsExactly("b", "d");
  }

  @Test
  void a_different_model_requires_a_reindex_which_rebuilds_with_its_dimension(Vertx vertx) throws Exception {
    Database database = db.database(vertx).await(30, SECONDS);
    List<Document> corpus = List.of(doc("a", "alpha"), doc("b", "beta"));
    new Indexer(vertx, database.pool(), new FakeEmbedder("fake-16", 16)).index(corpus, true, IndexProgress.NONE)
        .await(30, SECONDS);

    FakeEmbedder other = new FakeEmbedder("fake-24", 24);
    Indexer switched = new Indexer(vertx, database.pool(), other);
    assertThatThrownBy(() -> switched.index(corpus, false, IndexProgress.NONE).await(30, SECONDS))
        .isInstanceOf(ReindexRequiredException.class)
        .hasMessageContaining("built with fake-16 (16 dimensions)")
        .hasMessageContaining("fake-24 (24 dimensions)")
        .hasMessageContaining("rebound index --reindex");
    assertThat(other.embedded.get()).isZero();
    assertThat(switched.staleness(corpus).await(30, SECONDS).reindexRequired()).isPresent();
    assertThatThrownBy(() -> new HybridSearch(vertx, database.pool(), other).search(SearchQuery.of("alpha", null, 3))
        .await(30, SECONDS)).isInstanceOf(ReindexRequiredException.class);

    IndexReport rebuilt = switched.index(corpus, true, IndexProgress.NONE).await(30, SECONDS);
    assertThat(rebuilt.added()).isEqualTo(2);
    assertThat(db.rows("select model || ':' || dimension from retrieval_index")).containsExactly("fake-24:24");
    assertThat(db.rows("select distinct vector_dims(embedding)::text from retrieval_chunks")).containsExactly("24");
    SearchResult found = new HybridSearch(vertx, database.pool(), other).search(SearchQuery.of("alpha", null, 1))
        .await(30, SECONDS);
    assertThat(found.hits()).extracting(SearchHit::id).containsExactly("a");
  }

  @Test
  void identical_chunk_texts_are_embedded_once_and_every_chunk_stores_the_vector_of_its_own_text(Vertx vertx)
      throws Exception {
    Database database = db.database(vertx).await(30, SECONDS);
    FakeEmbedder embedder = new FakeEmbedder("fake-64", 64);
    Indexer indexer = new Indexer(vertx, database.pool(), embedder);
    indexer.index(List.of(), true, IndexProgress.NONE).await(30, SECONDS);
    // More chunks than one embedding batch; every third document repeats the same text.
    List<Document> corpus = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      corpus.add(i % 3 == 0
          ? new Document(DocKind.DOC, "same-" + i, "Shared page", "", List.of(new Section("Body", "the same words")), i + ".md")
          : new Document(DocKind.DOC, "own-" + i, "Page " + i, "", List.of(new Section("Body", "words number " + i),
              new Section("More", "further words " + i)), i + ".md"));
    }
    Chunker chunker = new Chunker();
    Map<String, String> textOfChunk = new HashMap<>();
    corpus.forEach(d -> chunker.chunks(d).forEach(c -> textOfChunk.put(d.id() + "/" + c.ord(), c.embedText())));
    assertThat(textOfChunk.size()).isGreaterThan(Indexer.BATCH_CHUNKS);

    IndexReport report = indexer.index(corpus, false, IndexProgress.NONE).await(60, SECONDS);

    assertThat(report.embeddedChunks()).isEqualTo(textOfChunk.size());
    assertThat(embedder.embedded.get()).isEqualTo(textOfChunk.values().stream().distinct().count())
        .isLessThan(textOfChunk.size());
    try (Connection c = db.jdbc(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select doc_id || '/' || ord, embedding::text from retrieval_chunks")) {
      int checked = 0;
      while (rs.next()) {
        float[] own = embedder.embed(List.of(textOfChunk.get(rs.getString(1)))).get(0);
        assertThat(Vectors.cosine(Vectors.parse(rs.getString(2)), own)).as(rs.getString(1)).isGreaterThan(0.9999);
        checked++;
      }
      assertThat(checked).isEqualTo(textOfChunk.size());
    }
    assertThat(textOfChunk.size()).as("loaded in bulk, the HNSW index built after").isGreaterThanOrEqualTo(Indexer.BULK_CHUNKS);
    assertThat(db.rows(VECTOR_INDEX)).singleElement().asString().contains("halfvec(64)", "hnsw");

    try (Connection c = db.jdbc(); Statement st = c.createStatement()) {
      st.execute("drop index retrieval_chunks_embedding"); // as a bulk load that failed before rebuilding it
    }
    IndexReport again = indexer.index(corpus, false, IndexProgress.NONE).await(60, SECONDS);
    assertThat(again.unchanged()).isEqualTo(corpus.size());
    assertThat(db.rows(VECTOR_INDEX)).as("the next run restores the index").hasSize(1);
  }

  private static final String VECTOR_INDEX =
      "select indexdef from pg_indexes where tablename = 'retrieval_chunks' and indexname = 'retrieval_chunks_embedding'";
}
