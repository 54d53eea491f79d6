package dev.rebound.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecoveryOrderTest {
  private final AssetInventory good = Fixtures.goodInventory();

  @Test
  void failedAssetComesFirstThenDownstreamInDependencyWaves() {
    RecoveryPlan plan = good.graph().recoveryOrder(Set.of("features.offline"));

    assertThat(waves(plan)).containsExactly(
        List.of("features.offline"),
        List.of("features.online", "datasets.training"), // tier 1 before no tier
        List.of("models.ranker"),
        List.of("services.ranking")); // waits for both the model and the online store
  }

  @Test
  void onlyTheFailedAssetsAreRestoredTheRestRevalidated() {
    RecoveryPlan plan = good.graph().recoveryOrder(Set.of("features.offline"));

    assertThat(plan.order()).extracting(t -> t.asset().id() + ":" + t.action().jsonName()).containsExactly(
        "features.offline:restore", "features.online:revalidate", "datasets.training:revalidate",
        "models.ranker:revalidate", "services.ranking:revalidate");
  }

  @Test
  void healthyUpstreamsAreLeftOutAndDoNotHoldAnythingBack() {
    // pipelines.feature-ingest feeds features.online but did not fail.
    RecoveryPlan plan = good.graph().recoveryOrder(Set.of("features.online"));

    assertThat(waves(plan)).containsExactly(List.of("features.online"), List.of("services.ranking"));
  }

  @Test
  void severalFailuresShareOnePlanWithDependenciesFirst() {
    RecoveryPlan plan = good.graph().recoveryOrder(Set.of("models.ranker", "warehouse.events", "storage.docs"));

    assertThat(plan.failed()).containsExactly("models.ranker", "storage.docs", "warehouse.events");
    assertThat(waves(plan)).containsExactly(
        List.of("warehouse.events", "storage.docs"), // tier 2, tier 3
        List.of("pipelines.feature-ingest", "rag.index", "features.offline"),
        List.of("features.online", "datasets.training"),
        List.of("models.ranker"),
        List.of("services.ranking"));
    assertThat(plan.waves()).extracting(RecoveryPlan.Wave::number).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void everyAssetComesAfterAllItsUpstreamsInThePlan() {
    RecoveryPlan plan = good.graph().recoveryOrder(Set.of("warehouse.events"));
    List<String> order = plan.order().stream().map(t -> t.asset().id()).toList();

    for (String id : order) {
      good.graph().upstreamEdges(id).stream()
          .filter(e -> order.contains(e.upstream()))
          .forEach(e -> assertThat(order.indexOf(e.upstream())).as(e.toString()).isLessThan(order.indexOf(id)));
    }
  }

  @Test
  void orderDoesNotDependOnFileOrder() {
    List<Asset> shuffled = new ArrayList<>(good.assets());
    Collections.shuffle(shuffled, new Random(7));
    AssetGraph reordered = new AssetInventory(shuffled).graph();
    Set<String> failed = Set.of("warehouse.events", "storage.docs");

    assertThat(reordered.recoveryOrder(failed)).isEqualTo(good.graph().recoveryOrder(failed));
  }

  @Test
  void noFailuresMeansAnEmptyPlan() {
    assertThat(good.graph().recoveryOrder(Set.of()).waves()).isEmpty();
  }

  private static List<List<String>> waves(RecoveryPlan plan) {
    return plan.waves().stream().map(w -> w.targets().stream().map(t -> t.asset().id()).toList()).toList();
  }
}
