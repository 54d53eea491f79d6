package dev.rebound.inventory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code knowledge/assets.yaml}. {@code tier} is 1 (most critical) to 3, or null
 * when not set; {@code description} is never null. {@code dependsOn} are runtime dependencies
 * (this asset needs those to work); the lineage adds data dependencies.
 */
public record Asset(
    String id,
    String name,
    AssetKind kind,
    String owner,
    String description,
    Integer tier,
    Duration rto,
    Duration rpo,
    List<String> dependsOn,
    Lineage lineage,
    List<String> recoveryRunbooks) {

  public Asset {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(rto, "rto");
    Objects.requireNonNull(rpo, "rpo");
    name = name == null ? id : name;
    description = description == null ? "" : description;
    dependsOn = List.copyOf(dependsOn);
    lineage = lineage == null ? Lineage.NONE : lineage;
    recoveryRunbooks = List.copyOf(recoveryRunbooks);
  }

  /** Every asset this one is downstream of, by runtime dependency or by lineage, in file order. */
  public List<Edge> upstreamEdges() {
    List<Edge> edges = new ArrayList<>();
    dependsOn.forEach(up -> edges.add(new Edge(id, up, EdgeKind.DEPENDS_ON)));
    lineage.derivedFrom().forEach(up -> edges.add(new Edge(id, up, EdgeKind.DERIVED_FROM)));
    lineage.findTrainingData().ifPresent(t -> edges.add(new Edge(id, t.asset(), EdgeKind.TRAINING_DATA)));
    return edges;
  }

  /** Tier for ordering: an asset without a tier sorts after tier 3. */
  int rank() {
    return tier == null ? 4 : tier;
  }
}
