package dev.rebound.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The loaded assets, in file order, with lookup by id and the graph over them. Built by
 * {@link AssetLoader}; the public constructor exists for tests and tools and refuses what the
 * loader would have reported (duplicate ids, dangling references, cycles) with an
 * {@link IllegalArgumentException}.
 */
public final class AssetInventory {
  private final Map<String, Asset> byId = new LinkedHashMap<>();
  private final AssetGraph graph;

  public AssetInventory(List<Asset> assets) {
    for (Asset a : assets) {
      if (byId.putIfAbsent(a.id(), a) != null) {
        throw new IllegalArgumentException("duplicate asset id '" + a.id() + "'");
      }
    }
    graph = new AssetGraph(Collections.unmodifiableMap(byId));
  }

  public List<Asset> assets() {
    return List.copyOf(byId.values());
  }

  public boolean contains(String id) {
    return byId.containsKey(id);
  }

  public Optional<Asset> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** @throws UnknownAssetException when there is no asset with that id */
  public Asset get(String id) {
    return graph.asset(id);
  }

  /** Assets that list {@code runbookId} in their {@code recovery_runbooks}, in file order. */
  public List<Asset> recoverableBy(String runbookId) {
    return byId.values().stream().filter(a -> a.recoveryRunbooks().contains(runbookId)).toList();
  }

  public AssetGraph graph() {
    return graph;
  }
}
