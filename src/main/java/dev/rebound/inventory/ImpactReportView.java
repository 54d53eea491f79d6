package dev.rebound.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** {@link Impact} as the API shows it: the failed asset, what it takes down, the real deadline. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ImpactReportView(
    AssetSummaryView failedAsset, int affectedCount, List<Affected> affected, TightestRto tightestRto) {

  public static ImpactReportView of(Impact impact) {
    List<Affected> affected = impact.affected().stream().map(Affected::of).toList();
    Asset bound = impact.failed().id().equals(impact.tightestRto().assetId())
        ? impact.failed()
        : impact.affected().stream().map(Reach::asset)
            .filter(a -> a.id().equals(impact.tightestRto().assetId())).findFirst().orElseThrow();
    return new ImpactReportView(AssetSummaryView.of(impact.failed()), affected.size(), affected,
        new TightestRto(bound.id(), bound.name(), Durations.format(bound.rto()), bound.rto().toMillis()));
  }

  /** One asset downstream; {@code path} runs from the failed asset to this one. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Affected(String id, String name, AssetKind kind, String owner, Integer tier, int distance,
      List<String> path, EdgeKind via, String rto, long rtoMs, List<String> recoveryRunbooks) {

    static Affected of(Reach r) {
      Asset a = r.asset();
      return new Affected(a.id(), a.name(), a.kind(), a.owner(), a.tier(), r.distance(), r.path(), r.via(),
          Durations.format(a.rto()), a.rto().toMillis(), a.recoveryRunbooks());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TightestRto(String assetId, String name, String rto, long rtoMs) {}
}
