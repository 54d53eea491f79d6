package dev.rebound.retrieval;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rebound.db.Database;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hybrid ranking with the real MiniLM model on a small fixed corpus. */
@ExtendWith(VertxExtension.class)
class HybridSearchIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private static HybridSearch search;

  private static Document runbook(String id, String title, String keywords, String step) {
    return new Document(DocKind.RUNBOOK, id, title, keywords, List.of(new Section("Step 1", step)), id + ".yaml");
  }

  @BeforeAll
  static void index(Vertx vertx) throws Exception {
    Database database = db.database(vertx).await(30, SECONDS);
    Embedder embedder = MiniLmEmbedder.byDefault();
    List<Document> corpus = List.of(
        runbook("feature-store-restore", "Restore the online feature store from a snapshot",
            "Online feature values are stale, null or wrong. Symptoms: FeatureStoreStale, feature freshness lag.",
            "Pause ingestion, restore the last verified snapshot, resume ingestion."),
        runbook("model-rollback", "Roll the ranker back to the previous model version",
            "A newly deployed model predicts badly. Symptoms: prediction drift, CTR drop.",
            "Point the serving alias at the previous model version and verify its checksum."),
        runbook("rag-index-rebuild", "Rebuild the knowledge base vector index",
            "Answers cite the wrong documents after an embedding model change. Symptoms: retrieval recall drop.",
            "Build a new index side by side, verify recall, then switch the alias."),
        runbook("pipeline-backfill", "Backfill a missing warehouse partition",
            "The nightly events load failed and yesterday's partition is missing.",
            "Quarantine the partial partition and re-run the load for that date."),
        new Document(DocKind.DOC, "oncall", "On-call escalation", "",
            List.of(new Section("Paging", "Page the **secondary** after 15 minutes without acknowledgement.")),
            "oncall.md"),
        new Document(DocKind.INCIDENT, "INC-1", "Stale online features after the ingest consumer stalled",
            "Symptoms: FeatureStoreStale.", List.of(new Section("Summary", "Ingestion stopped for 100 minutes.")), "INC-1.md"));
    new Indexer(vertx, database.pool(), embedder).index(corpus, true, IndexProgress.NONE).await(120, SECONDS);
    search = new HybridSearch(vertx, database.pool(), embedder);
  }

  private static List<String> ids(String query, DocKind kind, int k) throws Exception {
    return search.search(SearchQuery.of(query, kind, k)).await(30, SECONDS).hits().stream().map(SearchHit::id).toList();
  }

  @Test
  void meaning_and_words_rank_the_right_runbook_first() throws Exception {
    assertThat(ids("the online features are stale", DocKind.RUNBOOK, 4))
        .containsExactly("feature-store-restore", "model-rollback", "rag-index-rebuild", "pipeline-backfill");
    assertThat(ids("new model deploy made predictions worse", DocKind.RUNBOOK, 1)).containsExactly("model-rollback");
    assertThat(ids("yesterday's partition never loaded", DocKind.RUNBOOK, 1)).containsExactly("pipeline-backfill");
  }

  @Test
  void without_a_kind_every_kind_competes_and_each_hit_says_why() throws Exception {
    SearchResult result = search.search(SearchQuery.of("FeatureStoreStale", null, 3)).await(30, SECONDS);

    assertThat(result.hits()).extracting(SearchHit::id).containsExactlyInAnyOrder("feature-store-restore", "INC-1",
        result.hits().get(2).id());
    SearchHit top = result.hits().get(0);
    assertThat(top.vectorRank()).isNotNull();
    assertThat(top.textRank()).isNotNull();
    assertThat(top.snippet()).isNotBlank();
    assertThat(top.title()).isNotBlank();
    assertThat(result.hits()).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
    // The why is the whole reason: the score follows from what each hit shows.
    for (SearchHit h : result.hits()) {
      assertThat(h.score()).as(h.id()).isCloseTo(scoreFromWhy(h, SearchTuning.DEFAULT), within(1e-12));
    }
    assertThat(top.overviewRank()).isNotNull();
  }

  @Test
  void a_snippet_marks_the_matched_words_and_not_the_documents_own_bold() throws Exception {
    SearchHit paging = search.search(SearchQuery.of("page after fifteen minutes", DocKind.DOC, 1)).await(30, SECONDS)
        .hits().get(0);
    assertThat(paging.snippet()).contains("**Page**").doesNotContain("**secondary**").contains("secondary");
    SearchHit byMeaningOnly = search.search(SearchQuery.of("wake up another engineer", DocKind.DOC, 1)).await(30, SECONDS)
        .hits().get(0);
    assertThat(byMeaningOnly.textRank()).isNull();
    assertThat(byMeaningOnly.snippet()).doesNotContain("**");
  }

  private static double scoreFromWhy(SearchHit h, SearchTuning t) {
    return (h.vectorRank() == null ? 0 : t.vectorWeight() / (t.rrfK() + h.vectorRank()))
        + (h.textRank() == null ? 0 : t.textWeight() / (t.rrfK() + h.textRank()))
        + (h.overviewRank() == null ? 0 : t.overviewWeight() / (t.rrfK() + h.overviewRank()))
        + t.titleWeight() * h.titleCoverage() / t.rrfK();
  }

  @Test
  void a_query_naming_a_title_shows_all_its_title_words_found() throws Exception {
    SearchResult result = search.search(SearchQuery.of("restore the online feature store", DocKind.RUNBOOK, 3))
        .await(30, SECONDS);

    SearchHit restore = result.hits().stream().filter(h -> h.id().equals("feature-store-restore")).findFirst().orElseThrow();
    assertThat(restore.title()).startsWith("Restore the online feature store");
    assertThat(restore.titleCoverage()).isGreaterThan(0.5);
    assertThat(result.hits()).filteredOn(h -> !h.id().equals("feature-store-restore"))
        .allSatisfy(h -> assertThat(h.titleCoverage()).as(h.id()).isLessThan(restore.titleCoverage()));
  }

  @Test
  void a_query_with_no_matching_words_still_finds_by_meaning() throws Exception {
    assertThat(ids("who do I wake up when nobody answers the pager", DocKind.DOC, 1)).containsExactly("oncall");
  }
}
