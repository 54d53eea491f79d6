package dev.rebound.inventory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds dependency cycles, one per strongly connected component, so a tangle of five assets is
 * reported once rather than as every cycle through it. Each cycle is a closed path
 * {@code [a, b, c, a]} ({@code a} needs {@code b} ...) that starts at the component's member
 * listed first and is the shortest way back to it, so the report is stable between runs.
 */
final class Cycles {
  private final List<String> nodes;
  private final Function<String, List<String>> next;
  private final Map<String, Integer> index = new HashMap<>();
  private final Map<String, Integer> low = new HashMap<>();
  private final Deque<String> stack = new ArrayDeque<>();
  private final Set<String> onStack = new HashSet<>();
  private final List<Set<String>> components = new ArrayList<>();

  private Cycles(List<String> nodes, Function<String, List<String>> next) {
    this.nodes = nodes;
    // Edges to ids outside the node list are dangling references, reported elsewhere.
    Set<String> known = new HashSet<>(nodes);
    this.next = n -> next.apply(n).stream().filter(known::contains).toList();
  }

  /** {@code nodes} in file order; {@code next} gives each node's successors in file order. */
  static List<List<String>> find(List<String> nodes, Function<String, List<String>> next) {
    Cycles c = new Cycles(nodes, next);
    nodes.forEach(n -> {
      if (!c.index.containsKey(n)) {
        c.connect(n);
      }
    });
    c.components.sort(Comparator.comparingInt(component -> nodes.indexOf(component.iterator().next())));
    List<List<String>> cycles = new ArrayList<>();
    for (Set<String> component : c.components) {
      String first = component.iterator().next();
      if (component.size() > 1 || c.next.apply(first).contains(first)) {
        cycles.add(c.shortestCycle(first, component));
      }
    }
    return cycles;
  }

  // Tarjan's algorithm; recursion depth is bounded by the longest dependency chain.
  private void connect(String v) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : next.apply(v)) {
      if (!index.containsKey(w)) {
        connect(w);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> members = new HashSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        members.add(w);
      } while (!w.equals(v));
      // Keyed by file order, so the first element is the member listed first.
      Set<String> ordered = new LinkedHashSet<>();
      nodes.stream().filter(members::contains).forEach(ordered::add);
      components.add(ordered);
    }
  }

  private List<String> shortestCycle(String start, Set<String> component) {
    Map<String, String> parent = new LinkedHashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      String u = queue.poll();
      for (String w : next.apply(u)) {
        if (w.equals(start)) {
          List<String> path = new ArrayList<>(List.of(start));
          for (String p = u; !p.equals(start); p = parent.get(p)) {
            path.add(1, p);
          }
          path.add(start);
          return path;
        }
        if (component.contains(w) && !parent.containsKey(w)) {
          parent.put(w, u);
          queue.add(w);
        }
      }
    }
    throw new IllegalStateException("no cycle through " + start);
  }
}
