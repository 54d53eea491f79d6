package dev.rebound.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.retrieval.DocKind;
import dev.rebound.retrieval.SearchHit;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Over http-fixtures: warehouse.events → pipelines.feature-ingest → features.online →
 * services.ranking ← models.ranker ← datasets.training; runbooks feature-store-restore
 * (features.online), model-rollback (models.ranker), serving-failover (services.ranking).
 */
class RunbookSuggestionsTest {
  private final RunbookSuggestions suggestions =
      new RunbookSuggestions(new AssetRelations(IncidentFixtures.knowledge().assets()));

  private static Incident incident(List<String> assets) {
    return new Incident("INC-X", "Something broke", Instant.EPOCH, Severity.SEV2, IncidentStatus.OPEN, assets,
        List.of(), Optional.empty(), Optional.empty(), "", "", List.of(), "", Optional.empty());
  }

  private static SearchHit hit(String id, int rank) {
    return new SearchHit(DocKind.RUNBOOK, id, id, "", 1.0 / (60 + rank), rank, rank, 0.5, 0, rank, "", "");
  }

  /** Search ranks model-rollback first, but the incident's assets cannot reach it. */
  private static final List<SearchHit> HITS =
      List.of(hit("model-rollback", 1), hit("serving-failover", 2), hit("feature-store-restore", 3));

  @Test
  void known_assets_restrict_suggestions_to_related_runbooks_with_reasons() {
    List<RunbookSuggestion> out =
        suggestions.suggest(incident(List.of("pipelines.feature-ingest")), IncidentFixtures.catalog(), HITS, List.of(), 5);

    assertThat(out).extracting(RunbookSuggestion::runbookId).containsExactly("serving-failover", "feature-store-restore");
    assertThat(out.get(1).reasons()).contains("recovers related features.online (downstream of pipelines.feature-ingest)");
    assertThat(out.get(1).version()).isEqualTo(3);
  }

  @Test
  void a_runbook_for_the_affected_asset_itself_ranks_first() {
    List<RunbookSuggestion> out =
        suggestions.suggest(incident(List.of("features.online")), IncidentFixtures.catalog(), HITS, List.of(), 5);

    assertThat(out).extracting(RunbookSuggestion::runbookId).containsExactly("feature-store-restore", "serving-failover");
    assertThat(out.get(0).reasons()).contains("recovers the affected features.online");
  }

  @Test
  void precedent_from_similar_incidents_counts_and_is_named() {
    Incident past = new Incident("INC-P", "Ranker regressed", Instant.EPOCH, Severity.SEV1, IncidentStatus.RESOLVED,
        List.of("models.ranker"), List.of(), Optional.empty(), Optional.empty(), "", "",
        List.of(new RunbookRef("model-rollback", Optional.of(1))), "", Optional.empty());
    SimilarIncident similar = new SimilarIncident(past, 0.9, 0.9, 1, 0, List.of(), List.of(), List.of(), List.of());

    List<RunbookSuggestion> out =
        suggestions.suggest(incident(List.of("models.ranker")), IncidentFixtures.catalog(), HITS, List.of(similar), 5);

    assertThat(out.get(0).runbookId()).isEqualTo("model-rollback");
    assertThat(out.get(0).reasons()).contains("used for similar incident INC-P");
    assertThat(out).extracting(RunbookSuggestion::runbookId).doesNotContain("feature-store-restore");
  }

  @Test
  void without_known_assets_search_alone_decides_and_says_so() {
    List<RunbookSuggestion> out =
        suggestions.suggest(incident(List.of("no.such.asset")), IncidentFixtures.catalog(), HITS, List.of(), 2);

    assertThat(out).extracting(RunbookSuggestion::runbookId).containsExactly("model-rollback", "serving-failover");
    assertThat(out.get(0).reasons()).contains("no known assets on the incident: suggested by search alone");
  }
}
