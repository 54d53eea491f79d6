package dev.rebound.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * An asset as the API shows it. Field names follow assets.yaml (snake_case); durations appear as
 * written ({@code "30m"}) and in milliseconds for arithmetic. Absent optional values are omitted.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssetSummaryView(
    String id,
    String name,
    AssetKind kind,
    String owner,
    String description,
    Integer tier,
    String rto,
    long rtoMs,
    String rpo,
    long rpoMs,
    List<String> dependsOn,
    List<String> derivedFrom,
    Lineage.TrainingData trainingData,
    Lineage.Artifact artifact,
    List<String> recoveryRunbooks) {

  public static AssetSummaryView of(Asset a) {
    return new AssetSummaryView(a.id(), a.name(), a.kind(), a.owner(), a.description(), a.tier(),
        Durations.format(a.rto()), a.rto().toMillis(), Durations.format(a.rpo()), a.rpo().toMillis(),
        a.dependsOn(), a.lineage().derivedFrom(), a.lineage().trainingData(), a.lineage().artifact(),
        a.recoveryRunbooks());
  }
}
