package dev.rebound.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JSON the API serves, with a plain ObjectMapper: the views must not need its configuration. */
class InventoryViewsTest {
  private final ObjectMapper json = new ObjectMapper();
  private final AssetInventory inventory = Fixtures.goodInventory();

  @Test
  void assetSummaryUsesTheFileNamesAndOmitsAbsentValues() {
    JsonNode model = json.valueToTree(AssetSummaryView.of(inventory.get("models.ranker")));
    JsonNode dataset = json.valueToTree(AssetSummaryView.of(inventory.get("datasets.training")));

    assertThat(model.get("kind").asText()).isEqualTo("model");
    assertThat(model.get("rto").asText()).isEqualTo("15m");
    assertThat(model.get("rto_ms").asLong()).isEqualTo(900_000);
    assertThat(model.get("rpo").asText()).isEqualTo("0s");
    assertThat(model.at("/artifact/sha256").asText()).hasSize(64);
    assertThat(model.at("/training_data/snapshot").asText()).isEqualTo("snap-1a2b3c4d");
    assertThat(model.get("recovery_runbooks").get(0).asText()).isEqualTo("model-rollback");
    assertThat(dataset.has("tier")).isFalse();
    assertThat(dataset.has("artifact")).isFalse();
    assertThat(dataset.get("derived_from").get(0).asText()).isEqualTo("features.offline");
  }

  @Test
  void impactReportListsAffectedAssetsWithPathAndTheTightestRto() {
    JsonNode report = json.valueToTree(ImpactReportView.of(inventory.graph().impact("features.offline")));

    assertThat(report.at("/failed_asset/id").asText()).isEqualTo("features.offline");
    assertThat(report.get("affected_count").asInt()).isEqualTo(4);
    JsonNode model = report.get("affected").get(2);
    assertThat(model.get("id").asText()).isEqualTo("models.ranker");
    assertThat(model.get("distance").asInt()).isEqualTo(2);
    assertThat(model.get("via").asText()).isEqualTo("training_data");
    assertThat(model.get("path").toString())
        .isEqualTo("[\"features.offline\",\"datasets.training\",\"models.ranker\"]");
    assertThat(model.get("rto").asText()).isEqualTo("15m");
    assertThat(report.get("tightest_rto").toString()).isEqualTo(
        "{\"asset_id\":\"services.ranking\",\"name\":\"Ranking service\",\"rto\":\"5m\",\"rto_ms\":300000}");
  }

  @Test
  void recoveryOrderListsWavesAndTheFlatOrder() {
    RecoveryPlan plan = inventory.graph().recoveryOrder(Set.of("features.online"));
    JsonNode view = json.valueToTree(RecoveryOrderView.of(plan));

    assertThat(view.get("failed").toString()).isEqualTo("[\"features.online\"]");
    assertThat(view.at("/waves/0/wave").asInt()).isEqualTo(1);
    assertThat(view.at("/waves/0/assets/0/id").asText()).isEqualTo("features.online");
    assertThat(view.at("/waves/0/assets/0/action").asText()).isEqualTo("restore");
    assertThat(view.at("/waves/1/assets/0/action").asText()).isEqualTo("revalidate");
    assertThat(view.at("/waves/1/assets/0/kind").asText()).isEqualTo("service");
    assertThat(view.get("order").toString()).isEqualTo("[\"features.online\",\"services.ranking\"]");
  }
}
