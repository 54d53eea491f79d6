package dev.rebound.http;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.rebound.inventory.AssetGraph;
import dev.rebound.inventory.AssetKind;
import dev.rebound.inventory.AssetSummaryView;
import dev.rebound.inventory.Durations;
import dev.rebound.inventory.EdgeKind;
import dev.rebound.inventory.Reach;
import java.util.List;

/**
 * {@code GET /api/assets/{id}}: the asset and its neighbourhood both ways, transitively and
 * nearest first ({@code distance} 1 is a direct edge). {@code path} runs from this asset to the
 * other one; {@code via} is the kind of the edge that reached it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record AssetDetailView(AssetSummaryView asset, List<Related> upstream, List<Related> downstream) {

  static AssetDetailView of(AssetGraph graph, String id) {
    return new AssetDetailView(
        AssetSummaryView.of(graph.asset(id)),
        graph.upstream(id).stream().map(Related::of).toList(),
        graph.downstream(id).stream().map(Related::of).toList());
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Related(String id, String name, AssetKind kind, int distance, EdgeKind via, List<String> path,
      String rto, long rtoMs) {

    static Related of(Reach r) {
      return new Related(r.id(), r.asset().name(), r.asset().kind(), r.distance(), r.via(), r.path(),
          Durations.format(r.asset().rto()), r.asset().rto().toMillis());
    }
  }
}
