package dev.rebound.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AssetLoaderTest {
  @Test
  void goodFixtureLoadsEveryAssetInFileOrder() {
    LoadResult<AssetInventory> result =
        AssetLoader.load(Fixtures.path("good/assets.yaml"), "assets.yaml", Fixtures.RUNBOOKS,
            Set.of("ml-platform", "data-eng", "search", "alice")::contains);

    assertThat(result.problems()).isEmpty();
    assertThat(result.orElseThrow().assets()).extracting(Asset::id).containsExactly(
        "warehouse.events", "pipelines.feature-ingest", "features.offline", "features.online",
        "datasets.training", "models.ranker", "services.ranking", "storage.docs", "rag.index");
  }

  @Test
  void goodFixtureKeepsEveryField() {
    Asset online = Fixtures.goodInventory().get("features.online");

    assertThat(online.name()).isEqualTo("Online feature store");
    assertThat(online.kind()).isEqualTo(AssetKind.FEATURE_STORE);
    assertThat(online.owner()).isEqualTo("ml-platform");
    assertThat(online.description()).startsWith("Low-latency feature lookups");
    assertThat(online.tier()).isEqualTo(1);
    assertThat(online.rto()).isEqualTo(Duration.ofMinutes(30));
    assertThat(online.rpo()).isEqualTo(Duration.ofMinutes(15));
    assertThat(online.dependsOn()).containsExactly("features.offline", "pipelines.feature-ingest");
    assertThat(online.recoveryRunbooks()).containsExactly("feature-store-restore");
    assertThat(online.lineage()).isEqualTo(Lineage.NONE);
  }

  @Test
  void goodFixtureKeepsLineage() {
    Lineage lineage = Fixtures.goodInventory().get("models.ranker").lineage();

    assertThat(lineage.artifact().uri()).isEqualTo("file:./var/demo/models/ranker-v12.onnx");
    assertThat(lineage.artifact().sha256()).hasSize(64);
    assertThat(lineage.artifact().version()).isEqualTo("12");
    assertThat(lineage.trainingData()).isEqualTo(new Lineage.TrainingData("datasets.training", "snap-1a2b3c4d"));
  }

  @Test
  void optionalFieldsDefaultSensibly() {
    Asset a = Fixtures.inventory("assets: [{id: a, kind: dataset, owner: x, rto: 5m, rpo: 0s}]").get("a");

    assertThat(a.name()).isEqualTo("a");
    assertThat(a.description()).isEmpty();
    assertThat(a.tier()).isNull();
    assertThat(a.dependsOn()).isEmpty();
    assertThat(a.lineage().findArtifact()).isEmpty();
  }

  @Test
  void sha256IsStoredInLowerCaseAndNumericVersionAsText() {
    String upper = "9F15403BE534ADCBF9E4636781E7F26B0DE89E6841D558AEB68C8FD88C713709";
    Asset m = Fixtures.inventory("assets:\n  - {id: m, kind: model, owner: x, rto: 5m, rpo: 5m,\n"
        + "     lineage: {artifact: {uri: 's3://b/m', sha256: " + upper + ", version: 12}}}").get("m");

    assertThat(m.lineage().artifact().sha256()).isEqualTo(upper.toLowerCase());
    assertThat(m.lineage().artifact().version()).isEqualTo("12");
  }

  @Test
  void nullRunbookSetSkipsTheRunbookCheck() {
    String yaml = "assets: [{id: a, kind: dataset, owner: x, rto: 5m, rpo: 5m, recovery_runbooks: [later]}]";

    assertThat(AssetLoader.parse(yaml, "a.yaml", null, null).isLoaded()).isTrue();
    assertThat(AssetLoader.parse(yaml, "a.yaml", Set.of(), null).problems()).extracting(Object::toString)
        .containsExactly("a.yaml:1:81: asset 'a': recovery_runbooks names unknown runbook 'later'");
  }

  @Test
  void missingFileIsOneProblem() {
    LoadResult<AssetInventory> result = AssetLoader.load(Fixtures.path("good").resolve("nope.yaml"), null);

    assertThat(result.isLoaded()).isFalse();
    assertThat(result.problems()).singleElement().extracting(p -> p.message()).isEqualTo("file not found");
  }

  @Test
  void orThrowOnAFailedLoadCarriesEveryProblem() {
    LoadResult<AssetInventory> result = AssetLoader.load(Fixtures.path("bad-assets/bad-duration.yaml"), null);

    assertThatThrownBy(result::orElseThrow)
        .isInstanceOf(InvalidKnowledgeException.class)
        .satisfies(e -> {
          InvalidKnowledgeException invalid = (InvalidKnowledgeException) e;
          assertThat(invalid.code()).isEqualTo("invalid_knowledge");
          assertThat(invalid.positionedProblems()).extracting(p -> p.position().line()).containsExactly(8, 9, 13);
        })
        .hasMessageContaining("bad-duration.yaml:8:10: asset 'a': bad duration '30 min'")
        .hasMessageEndingWith("(and 2 more)");
  }
}
