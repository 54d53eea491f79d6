package dev.rebound.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.inventory.Asset;
import dev.rebound.inventory.AssetKind;
import dev.rebound.inventory.Lineage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssetDocumentsTest {
  @Test
  void writesRtoAndRpoAsTheKnowledgeFilesDo() {
    Asset asset = new Asset("features.online", "Online features", AssetKind.SERVICE, "ml-platform", "Serves features.",
        1, Duration.ofMinutes(45), Duration.ofHours(2), List.of(), Lineage.NONE, List.of("feature-store-restore"));

    Document doc = AssetDocuments.of(asset, "knowledge/assets.yaml");

    assertThat(doc.sections()).extracting(Section::text).contains(
        "Recovered with runbooks feature-store-restore.\nRTO 45m, RPO 2h.");
  }
}
