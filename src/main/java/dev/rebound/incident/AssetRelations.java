package dev.rebound.incident;

import dev.rebound.inventory.AssetInventory;
import dev.rebound.inventory.Reach;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which assets relate to an incident's assets through the dependency and lineage graph, and
 * how: {@code upstream of X} (X needs it, so it may be the cause) or {@code downstream of X}
 * (it depends on X, so it is affected). Unknown asset ids relate to nothing. Pure.
 */
public final class AssetRelations {
  private final AssetInventory inventory;

  public AssetRelations(AssetInventory inventory) {
    this.inventory = inventory;
  }

  public static AssetRelations none() {
    return new AssetRelations(new AssetInventory(List.of()));
  }

  public boolean known(String assetId) {
    return inventory.contains(assetId);
  }

  public boolean anyKnown(List<String> assetIds) {
    return assetIds.stream().anyMatch(this::known);
  }

  /** Related asset → how, for every asset reachable from {@code assets} (the assets themselves excluded). */
  public Map<String, String> related(List<String> assets) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : assets) {
      if (!known(a)) {
        continue;
      }
      for (Reach r : inventory.graph().upstream(a)) {
        out.putIfAbsent(r.id(), "upstream of " + a);
      }
      for (Reach r : inventory.graph().downstream(a)) {
        out.putIfAbsent(r.id(), "downstream of " + a);
      }
    }
    assets.forEach(out::remove);
    return out;
  }

  /** Runbooks that assets.yaml names as recovering {@code assetId}. */
  public List<String> recoveryRunbooks(String assetId) {
    return inventory.find(assetId).map(a -> a.recoveryRunbooks()).orElse(List.of());
  }
}
