package dev.rebound.inventory;

import java.util.List;

/**
 * An asset reached from a starting asset by following edges one way. {@code path} runs from the
 * start to {@code asset}, both included, along a shortest route (ties broken by id);
 * {@code distance} is its number of hops and {@code via} the kind of its last edge.
 */
public record Reach(Asset asset, int distance, List<String> path, EdgeKind via) {
  public Reach {
    path = List.copyOf(path);
  }

  public String id() {
    return asset.id();
  }
}
