package dev.rebound.inventory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The assets joined by runtime dependencies ({@code depends_on}) and lineage
 * ({@code derived_from}, {@code training_data}): all mean "if the upstream breaks, the downstream
 * is affected". Immutable and acyclic (construction refuses cycles); queries are cheap enough to
 * run per request. Unknown ids raise {@link UnknownAssetException}.
 */
public final class AssetGraph {
  // Neighbours sorted by id then kind, so breadth-first walks find the same shortest path each run.
  private static final Comparator<Edge> BY_UPSTREAM =
      Comparator.comparing(Edge::upstream).thenComparing(Edge::kind);
  private static final Comparator<Edge> BY_DOWNSTREAM =
      Comparator.comparing(Edge::downstream).thenComparing(Edge::kind);

  private final Map<String, Asset> assets;
  private final List<Edge> edges = new ArrayList<>();
  private final Map<String, List<Edge>> upstreamOf = new HashMap<>();
  private final Map<String, List<Edge>> downstreamOf = new HashMap<>();

  AssetGraph(Map<String, Asset> assets) {
    this.assets = assets;
    for (Asset a : assets.values()) {
      for (Edge e : a.upstreamEdges()) {
        if (!assets.containsKey(e.upstream())) {
          throw new IllegalArgumentException(
              "asset '" + a.id() + "': " + e.kind().yamlField() + " names unknown asset '" + e.upstream() + "'");
        }
        edges.add(e);
        upstreamOf.computeIfAbsent(e.downstream(), k -> new ArrayList<>()).add(e);
        downstreamOf.computeIfAbsent(e.upstream(), k -> new ArrayList<>()).add(e);
      }
    }
    upstreamOf.values().forEach(l -> l.sort(BY_UPSTREAM));
    downstreamOf.values().forEach(l -> l.sort(BY_DOWNSTREAM));
    List<List<String>> cycles = Cycles.find(List.copyOf(assets.keySet()),
        id -> upstreamEdges(id).stream().map(Edge::upstream).toList());
    if (!cycles.isEmpty()) {
      throw new IllegalArgumentException("dependency cycle: " + String.join(" -> ", cycles.get(0)));
    }
  }

  /** @throws UnknownAssetException when there is no asset with that id */
  public Asset asset(String id) {
    Asset a = assets.get(id);
    if (a == null) {
      throw new UnknownAssetException(id);
    }
    return a;
  }

  /** Every edge, in file order of the downstream asset. */
  public List<Edge> edges() {
    return List.copyOf(edges);
  }

  /** Direct edges to what {@code id} needs or is computed from. */
  public List<Edge> upstreamEdges(String id) {
    return List.copyOf(upstreamOf.getOrDefault(asset(id).id(), List.of()));
  }

  /** Direct edges to what needs or is computed from {@code id}. */
  public List<Edge> downstreamEdges(String id) {
    return List.copyOf(downstreamOf.getOrDefault(asset(id).id(), List.of()));
  }

  /** Everything {@code id} transitively needs, nearest first; paths run from {@code id} upstream. */
  public List<Reach> upstream(String id) {
    return walk(id, upstreamOf, Edge::upstream);
  }

  /** Everything transitively affected when {@code id} breaks, nearest first. */
  public List<Reach> downstream(String id) {
    return walk(id, downstreamOf, Edge::downstream);
  }

  public Impact impact(String id) {
    Asset failed = asset(id);
    List<Reach> affected = downstream(id);
    Impact.RtoBound tightest = new Impact.RtoBound(failed.id(), failed.rto());
    for (Reach r : affected) { // nearest first, so on a tie the closer asset is named
      if (r.asset().rto().compareTo(tightest.rto()) < 0) {
        tightest = new Impact.RtoBound(r.id(), r.asset().rto());
      }
    }
    return new Impact(failed, affected, tightest);
  }

  /**
   * The failed assets and everything downstream of them, dependencies first, in waves.
   *
   * @throws UnknownAssetException when one of {@code failed} is not an asset
   */
  public RecoveryPlan recoveryOrder(Set<String> failed) {
    return RecoveryPlanner.plan(this, failed);
  }

  private List<Reach> walk(String start, Map<String, List<Edge>> adjacency, Function<Edge, String> next) {
    Set<String> seen = new HashSet<>(Set.of(asset(start).id()));
    Deque<Reach> queue = new ArrayDeque<>(List.of(new Reach(asset(start), 0, List.of(start), null)));
    List<Reach> reached = new ArrayList<>();
    while (!queue.isEmpty()) {
      Reach from = queue.poll();
      for (Edge e : adjacency.getOrDefault(from.id(), List.of())) {
        String to = next.apply(e);
        if (seen.add(to)) {
          List<String> path = new ArrayList<>(from.path());
          path.add(to);
          Reach r = new Reach(assets.get(to), from.distance() + 1, path, e.kind());
          reached.add(r);
          queue.add(r);
        }
      }
    }
    reached.sort(Comparator.comparingInt(Reach::distance).thenComparing(Reach::id));
    return reached;
  }
}
