package dev.rebound.retrieval;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.db.Database;
import dev.rebound.retrieval.PgIndexStore.TermsUpdate;
import dev.rebound.retrieval.PgIndexStore.TermsWork;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The term statistics (retrieval_terms) follow each run's changes through the log the document
 * triggers keep (V23__retrieval_terms_log.sql), and stay equal to a ts_stat recount over the
 * documents, also after a run that died before the end.
 */
@ExtendWith(VertxExtension.class)
class IndexTermsIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  /** The lexemes whose ndoc differs from ts_stat over the documents, or from their postings rows, or that are missing. */
  private static final String DIFFERING = "select coalesce(s.lexeme, t.lexeme) from"
      + " (select word as lexeme, ndoc from ts_stat('select tsv from retrieval_documents')) s"
      + " full join retrieval_terms t on t.lexeme = s.lexeme"
      + " full join (select lexeme, count(*) as ndoc from retrieval_postings group by lexeme) p"
      + " on p.lexeme = coalesce(s.lexeme, t.lexeme)"
      + " where s.ndoc is distinct from t.ndoc or p.ndoc is distinct from t.ndoc order by 1";

  private Database database;
  private FakeEmbedder embedder;
  private Indexer indexer;

  @BeforeEach
  void emptyIndex(Vertx vertx) throws Exception {
    database = db.database(vertx).await(30, SECONDS);
    embedder = new FakeEmbedder("fake-8", 8);
    indexer = new Indexer(vertx, database.pool(), embedder);
    indexer.index(List.of(), true, IndexProgress.NONE).await(30, SECONDS);
  }

  private static Document doc(String id, String text) {
    return new Document(DocKind.DOC, id, "Doc " + id, "", List.of(new Section("Body", text)), id + ".md");
  }

  /** Documents alike in {@link #corpus()}, followed by "z" and "q". */
  private static final int ALIKE = 38;

  /** {@link #ALIKE} documents alike, one with the only "zebra", one with the only "quokka". */
  private static List<Document> corpus() {
    List<Document> corpus = new ArrayList<>();
    for (int i = 0; i < ALIKE; i++) {
      corpus.add(doc("d" + i, "The service restarted after disk pressure on node " + i + (i % 3 == 0 ? " flapping" : "")));
    }
    corpus.add(doc("z", "A zebra at the crossing"));
    corpus.add(doc("q", "A quokka was seen"));
    return corpus;
  }

  @Test
  void after_adds_changes_and_deletes_the_counts_equal_a_recount_and_a_small_run_recounts_only_what_it_changed()
      throws Exception {
    List<Document> corpus = corpus();
    indexer.index(corpus, false, IndexProgress.NONE).await(30, SECONDS);
    assertThat(db.rows(DIFFERING)).isEmpty();
    assertThat(db.rows("select ndoc::text from retrieval_terms where lexeme in ('zebra', 'quokka')")).containsExactly("1", "1");
    assertAggregatesRight();

    // A count gone wrong in a word the next run does not touch stays wrong unless that run recounts everything.
    db.execute("update retrieval_terms set ndoc = 999 where lexeme = '10'"); // only in d10
    corpus.set(ALIKE, doc("z", "A horse at the crossing")); // replaced: zebra drops to no document
    corpus.remove(ALIKE + 1); // deleted (its postings cascade): quokka too
    corpus.add(doc("w", "A walrus on the disk")); // added
    corpus.set(3, doc("d3", "The service restarted after memory pressure on node 3")); // one fewer "disk", "flapping" one fewer
    IndexReport small = indexer.index(corpus, false, IndexProgress.NONE).await(30, SECONDS);
    assertThat(List.of(small.added(), small.updated(), small.removed())).containsExactly(1, 2, 1);
    assertThat(small.changed() * Indexer.RECOUNT_SHARE).isLessThan(ALIKE + 2);
    assertThat(db.rows(DIFFERING)).as("only the untouched drifted word differs: the run did not recount everything")
        .containsExactly("10");
    assertThat(db.rows("select lexeme from retrieval_terms where lexeme in ('zebra', 'quokka', 'walrus', 'hors')"))
        .containsExactlyInAnyOrder("walrus", "hors");
    assertThat(db.rows("select ndoc::text from retrieval_terms where lexeme in ('memori', 'flap', 'disk')"))
        .containsExactlyInAnyOrder("1", "12", "38"); // flap: 13 - d3; disk: 38 - d3 + walrus
    assertAggregatesRight();

    // A run that changes a large enough share of the index recounts everything, the drifted word included.
    for (int i = 0; i < (ALIKE + 2) / Indexer.RECOUNT_SHARE; i++) {
      corpus.set(i, doc("d" + i, "Rewritten page " + i + " about certificates"));
    }
    indexer.index(corpus, false, IndexProgress.NONE).await(30, SECONDS);
    assertThat(db.rows(DIFFERING)).isEmpty();
    assertThat(db.rows("select count(*)::text from retrieval_terms_log")).containsExactly("0");
    assertAggregatesRight();
  }

  @Test
  void touch_adds_the_log_of_a_small_change_and_recounts_everything_only_when_flagged() throws Exception {
    indexer.index(corpus(), false, IndexProgress.NONE).await(30, SECONDS);
    int lexemes = db.rows("select lexeme from retrieval_terms").size();

    storeWithoutTouch(doc("z", "A zebra and a narwhal at the crossing"));
    List<String> logged = db.rows("select distinct lexeme from retrieval_terms_log order by 1");
    assertThat(logged).contains("narwhal", "zebra").hasSizeLessThan(lexemes);
    TermsUpdate update = touch(false);
    assertThat(update).isEqualTo(new TermsUpdate(TermsWork.LOGGED, logged.size()));
    assertThat(db.rows(DIFFERING)).isEmpty();
    assertThat(db.rows("select count(*)::text from retrieval_terms_log")).containsExactly("0");

    assertThat(touch(false)).isEqualTo(new TermsUpdate(TermsWork.NONE, 0));
    database.pool().withConnection(PgIndexStore::recountLater).await(30, SECONDS);
    assertThat(touch(false)).isEqualTo(new TermsUpdate(TermsWork.RECOUNTED, lexemes + 1)); // narwhal
    assertThat(db.rows(DIFFERING)).isEmpty();
  }

  @Test
  void a_run_that_died_after_a_committed_batch_is_repaired_by_the_next_run_even_if_it_changes_nothing() throws Exception {
    List<Document> corpus = corpus();
    indexer.index(corpus, false, IndexProgress.NONE).await(30, SECONDS);

    // Batches committed, the run died before its end: the log is left.
    corpus.set(ALIKE, doc("z", "A narwhal at the crossing"));
    storeWithoutTouch(corpus.get(ALIKE));
    assertThat(db.rows(DIFFERING)).contains("narwhal", "zebra");
    assertAggregatesRight(); // these follow each batch
    IndexReport next = indexer.index(corpus, false, IndexProgress.NONE).await(30, SECONDS);
    assertThat(next.changed()).isZero();
    assertThat(db.rows(DIFFERING)).isEmpty();
    assertAggregatesRight();

    // The same for a run that was to recount everything: nothing logged, the flag left set.
    corpus.set(ALIKE, doc("z", "A zebra at the crossing"));
    database.pool().withConnection(PgIndexStore::recountLater).await(30, SECONDS);
    storeWithoutTouch(corpus.get(ALIKE));
    assertThat(db.rows("select count(*)::text from retrieval_terms_log")).containsExactly("0");
    assertThat(db.rows(DIFFERING)).contains("narwhal", "zebra");
    assertThat(indexer.index(corpus, false, IndexProgress.NONE).await(30, SECONDS).changed()).isZero();
    assertThat(db.rows(DIFFERING)).isEmpty();
    assertThat(db.rows("select terms_stale::text from retrieval_index")).containsExactly("false");
  }

  /** One batch of the indexer committed, as a run does before it dies: the document replaced, no touch. */
  private void storeWithoutTouch(Document doc) throws Exception {
    List<Chunk> chunks = new Chunker().chunks(doc);
    List<float[]> vectors = embedder.embed(chunks.stream().map(Chunk::embedText).toList());
    var entry = new PgIndexStore.Entry(doc, doc.contentHash(Chunker.VERSION), chunks, vectors);
    database.pool().withTransaction(conn -> PgIndexStore.put(conn, List.of(entry))).await(30, SECONDS);
  }

  private TermsUpdate touch(boolean changed) throws Exception {
    return database.pool().withConnection(conn -> PgIndexStore.touch(conn, changed)).await(30, SECONDS);
  }

  private static void assertAggregatesRight() throws SQLException {
    assertThat(db.rows("select (i.documents = d.n and i.words = d.words and abs(i.avg_words - d.avg) < 0.01)::text"
        + " from retrieval_index i, (select count(*) as n, coalesce(sum(words), 0) as words,"
        + " coalesce(avg(words), 0) as avg from retrieval_documents) d")).containsExactly("true");
  }

}
