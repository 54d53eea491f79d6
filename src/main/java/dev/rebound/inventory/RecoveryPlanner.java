package dev.rebound.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders a recovery by Kahn's algorithm in layers: wave 1 holds the plan's assets with no
 * upstream inside the plan; each later wave the assets whose last upstream was in the wave
 * before. Upstreams outside the plan are healthy and do not hold anything back.
 */
final class RecoveryPlanner {
  private static final Comparator<Asset> WITHIN_WAVE =
      Comparator.comparingInt(Asset::rank).thenComparing(Asset::id);

  private RecoveryPlanner() {}

  static RecoveryPlan plan(AssetGraph graph, Set<String> failed) {
    List<String> failedIds = failed.stream().sorted().toList();
    Set<String> members = new HashSet<>();
    for (String id : failedIds) {
      members.add(graph.asset(id).id());
      graph.downstream(id).forEach(r -> members.add(r.id()));
    }
    Map<String, Integer> waiting = new HashMap<>();
    for (String id : members) {
      waiting.put(id, (int) graph.upstreamEdges(id).stream().filter(e -> members.contains(e.upstream())).count());
    }
    List<Asset> ready = members.stream().filter(id -> waiting.get(id) == 0).map(graph::asset).toList();
    List<RecoveryPlan.Wave> waves = new ArrayList<>();
    int placed = 0;
    while (!ready.isEmpty()) {
      List<Asset> wave = ready.stream().sorted(WITHIN_WAVE).toList();
      List<Asset> next = new ArrayList<>();
      for (Asset a : wave) {
        for (Edge e : graph.downstreamEdges(a.id())) {
          if (members.contains(e.downstream()) && waiting.merge(e.downstream(), -1, Integer::sum) == 0) {
            next.add(graph.asset(e.downstream()));
          }
        }
      }
      waves.add(new RecoveryPlan.Wave(waves.size() + 1, wave.stream().map(a -> target(a, failed)).toList()));
      placed += wave.size();
      ready = next;
    }
    if (placed != members.size()) {
      throw new IllegalStateException("dependency cycle among " + members); // the graph refuses cycles
    }
    return new RecoveryPlan(failedIds, waves);
  }

  private static RecoveryPlan.Target target(Asset a, Set<String> failed) {
    return new RecoveryPlan.Target(
        a, failed.contains(a.id()) ? RecoveryPlan.Action.RESTORE : RecoveryPlan.Action.REVALIDATE);
  }
}
