package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.inventory.Asset;
import dev.rebound.inventory.AssetSummaryView;
import dev.rebound.inventory.ImpactReportView;
import dev.rebound.inventory.Knowledge;
import io.vertx.core.Future;

/** {@code get_asset}: one asset from the inventory, and what its failure takes down. */
final class AssetTool implements AgentTool {
  private final Knowledge knowledge;

  AssetTool(Knowledge knowledge) {
    this.knowledge = knowledge;
  }

  @Override
  public String name() {
    return "get_asset";
  }

  @Override
  public String description() {
    return "Read-only. An asset of the inventory (kind, owner, RTO, RPO, dependencies, lineage, recovery runbooks)"
        + " and its impact: everything downstream of it and the tightest RTO among them.";
  }

  @Override
  public ArgSchema schema() {
    return ArgSchema.builder()
        .enumeration("asset_id", "the asset's id", knowledge.assets().assets().stream().map(Asset::id).toList(), true)
        .build();
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Future<ToolOutcome> call(JsonNode args, TurnContext turn) {
    String id = args.get("asset_id").textValue();
    ObjectNode data = AgentJson.object();
    ObjectNode asset = AgentJson.MAPPER.valueToTree(AssetSummaryView.of(knowledge.assets().get(id)));
    if (asset.hasNonNull("description")) {
      asset.put("description", DataQuote.quote("knowledge/assets.yaml#" + id, asset.get("description").asText()));
    }
    data.set("asset", asset);
    data.set("impact", AgentJson.MAPPER.valueToTree(ImpactReportView.of(knowledge.graph().impact(id))));
    return Future.succeededFuture(ToolOutcome.ok(data));
  }
}
