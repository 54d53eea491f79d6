package dev.rebound.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AssetGraphTest {
  // source <- left, right <- sink: sink is reachable two ways and must be reported once.
  private static final String DIAMOND = """
      assets:
        - {id: source, kind: data_source, owner: x, rto: 1h, rpo: 1h}
        - {id: left, kind: pipeline, owner: x, rto: 30m, rpo: 1h, depends_on: [source]}
        - {id: right, kind: pipeline, owner: x, rto: 10m, rpo: 1h, depends_on: [source]}
        - {id: sink, kind: service, owner: x, rto: 10m, rpo: 1h, depends_on: [right, left]}
      """;

  private final AssetGraph diamond = Fixtures.inventory(DIAMOND).graph();
  private final AssetGraph good = Fixtures.goodInventory().graph();

  @Test
  void impactOnDiamondReportsEachDownstreamAssetOnceWithItsShortestPath() {
    Impact impact = diamond.impact("source");

    assertThat(impact.failed().id()).isEqualTo("source");
    assertThat(impact.affected())
        .extracting(Reach::id, Reach::distance, Reach::path)
        .containsExactly(
            tuple("left", 1, List.of("source", "left")),
            tuple("right", 1, List.of("source", "right")),
            tuple("sink", 2, List.of("source", "left", "sink")));
  }

  @Test
  void impactOfALeafIsEmpty() {
    Impact impact = diamond.impact("sink");

    assertThat(impact.affected()).isEmpty();
    assertThat(impact.tightestRto()).isEqualTo(new Impact.RtoBound("sink", Duration.ofMinutes(10)));
  }

  @Test
  void tightestRtoIsTheSmallestDownstreamAndTheNearestOnATie() {
    // right and sink both have 10m; right is one hop away, sink two.
    assertThat(diamond.impact("source").tightestRto())
        .isEqualTo(new Impact.RtoBound("right", Duration.ofMinutes(10)));
  }

  @Test
  void tightestRtoIsTheFailedAssetsOwnWhenNothingDownstreamIsTighter() {
    assertThat(good.impact("services.ranking").tightestRto())
        .isEqualTo(new Impact.RtoBound("services.ranking", Duration.ofMinutes(5)));
    assertThat(good.impact("features.offline").tightestRto())
        .isEqualTo(new Impact.RtoBound("services.ranking", Duration.ofMinutes(5)));
  }

  @Test
  void lineageEdgesCountAsImpact() {
    Impact impact = good.impact("features.offline");

    // datasets.training is derived from the offline store; the model was trained on that dataset.
    assertThat(impact.affected())
        .extracting(Reach::id, Reach::distance, Reach::via)
        .containsExactly(
            tuple("datasets.training", 1, EdgeKind.DERIVED_FROM),
            tuple("features.online", 1, EdgeKind.DEPENDS_ON),
            tuple("models.ranker", 2, EdgeKind.TRAINING_DATA),
            tuple("services.ranking", 2, EdgeKind.DEPENDS_ON));
  }

  @Test
  void impactDoesNotCrossIntoUnrelatedAssets() {
    assertThat(good.impact("storage.docs").affected()).extracting(Reach::id).containsExactly("rag.index");
  }

  @Test
  void upstreamListsEverythingAnAssetNeedsNearestFirst() {
    assertThat(good.upstream("services.ranking"))
        .extracting(Reach::id, Reach::distance)
        .containsExactly(
            tuple("features.online", 1),
            tuple("models.ranker", 1),
            tuple("datasets.training", 2),
            tuple("features.offline", 2),
            tuple("pipelines.feature-ingest", 2),
            tuple("warehouse.events", 3));
    assertThat(good.upstream("services.ranking").get(5).path())
        .containsExactly("services.ranking", "features.online", "features.offline", "warehouse.events");
  }

  @Test
  void directEdgesCarryTheirKind() {
    assertThat(good.upstreamEdges("models.ranker"))
        .containsExactly(new Edge("models.ranker", "datasets.training", EdgeKind.TRAINING_DATA));
    assertThat(good.downstreamEdges("warehouse.events")).extracting(Edge::downstream)
        .containsExactly("features.offline", "pipelines.feature-ingest");
  }

  @Test
  void unknownAssetIdIsAClearException() {
    assertThatThrownBy(() -> good.impact("features.onlin"))
        .isInstanceOf(UnknownAssetException.class)
        .hasMessage("asset 'features.onlin' not found")
        .extracting(e -> ((UnknownAssetException) e).assetId()).isEqualTo("features.onlin");
    assertThatThrownBy(() -> good.upstream("nope")).isInstanceOf(UnknownAssetException.class);
    assertThatThrownBy(() -> good.recoveryOrder(Set.of("features.online", "nope")))
        .isInstanceOf(UnknownAssetException.class);
  }

  @Test
  void buildingAGraphWithACycleNamesTheWholeCycle() {
    List<Asset> assets = List.of(asset("a", "b"), asset("b", "c"), asset("c", "a"));

    assertThatThrownBy(() -> new AssetInventory(assets))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dependency cycle: a -> b -> c -> a");
  }

  @Test
  void aSelfDependencyIsACycle() {
    assertThatThrownBy(() -> new AssetInventory(List.of(asset("a", "a"))))
        .hasMessage("dependency cycle: a -> a");
  }

  @Test
  void buildingAGraphWithADanglingReferenceNamesTheMissingId() {
    assertThatThrownBy(() -> new AssetInventory(List.of(asset("a", "ghost"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("asset 'a': depends_on names unknown asset 'ghost'");
  }

  static Asset asset(String id, String... dependsOn) {
    return new Asset(id, null, AssetKind.SERVICE, "x", null, null, Duration.ofMinutes(5),
        Duration.ZERO, List.of(dependsOn), null, List.of());
  }
}
