package dev.rebound.incident;

import dev.rebound.retrieval.SearchHit;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ranks runbooks for an incident from three kinds of evidence: what the runbook says (hybrid
 * search with the incident's text), which assets it recovers compared with the incident's, and
 * whether it was used for similar past incidents.
 *
 * <p>When the incident names assets the inventory knows, only runbooks related to them are
 * suggested: a runbook for an asset the failure cannot reach would be a wrong plan however
 * well its words match. Related means: the runbook lists one of the incident's assets, or an
 * asset upstream or downstream of them, or assets.yaml names it as their recovery runbook.
 * Without known assets the suggestions are search results alone, and say so. Pure.
 */
public final class RunbookSuggestions {
  static final double DIRECT = 0.5;
  static final double RELATED = 0.25;
  static final double PRECEDENT = 0.2;

  private final AssetRelations relations;

  public RunbookSuggestions(AssetRelations relations) {
    this.relations = relations;
  }

  /**
   * @param hits runbook search results for the incident's text, best first
   * @param similar similar past incidents, best first (their runbooks count as precedent)
   */
  public List<RunbookSuggestion> suggest(
      Incident incident, RunbookCatalog catalog, List<SearchHit> hits, List<SimilarIncident> similar, int k) {
    boolean restricted = relations.anyKnown(incident.assets());
    Map<String, String> related = relations.related(incident.assets());
    Set<String> recoveryOf = new LinkedHashSet<>();
    incident.assets().forEach(a -> recoveryOf.addAll(relations.recoveryRunbooks(a)));
    Map<String, List<String>> precedent = new LinkedHashMap<>();
    for (SimilarIncident s : similar) {
      for (RunbookRef ref : s.incident().runbooksUsed()) {
        precedent.computeIfAbsent(ref.id(), x -> new ArrayList<>()).add(s.incident().id());
      }
    }
    double best = hits.stream().mapToDouble(SearchHit::score).max().orElse(1);
    Map<String, SearchHit> byId = new LinkedHashMap<>();
    hits.forEach(h -> byId.putIfAbsent(h.id(), h));
    Set<String> candidates = new LinkedHashSet<>(byId.keySet());
    if (restricted) {
      for (Runbook r : catalog.runbooks()) {
        if (r.assets().stream().anyMatch(a -> incident.assets().contains(a) || related.containsKey(a))) {
          candidates.add(r.id());
        }
      }
      candidates.addAll(recoveryOf);
    }
    List<RunbookSuggestion> out = new ArrayList<>();
    for (String id : candidates) {
      Runbook runbook = catalog.get(id).orElse(null);
      if (runbook == null) {
        continue;
      }
      List<String> reasons = new ArrayList<>();
      double score = 0;
      SearchHit hit = byId.get(id);
      if (hit != null) {
        score += hit.score() / best;
        reasons.add(describe(hit));
      }
      List<String> direct = runbook.assets().stream().filter(incident.assets()::contains).toList();
      List<String> viaGraph = runbook.assets().stream().filter(related::containsKey)
          .map(a -> a + " (" + related.get(a) + ")").toList();
      if (!direct.isEmpty() || recoveryOf.contains(id)) {
        score += DIRECT;
        reasons.add(direct.isEmpty()
            ? "assets.yaml names it to recover " + String.join(", ", incident.assets())
            : "recovers the affected " + String.join(", ", direct));
      } else if (!viaGraph.isEmpty()) {
        score += RELATED;
        reasons.add("recovers related " + String.join(", ", viaGraph));
      } else if (restricted) {
        continue; // not related to the incident's assets
      }
      if (precedent.containsKey(id)) {
        score += PRECEDENT;
        reasons.add("used for similar incident" + (precedent.get(id).size() > 1 ? "s " : " ")
            + String.join(", ", precedent.get(id)));
      }
      if (!restricted) {
        reasons.add("no known assets on the incident: suggested by search alone");
      }
      out.add(new RunbookSuggestion(id, runbook.version(), runbook.title(), score, reasons));
    }
    out.sort(Comparator.comparingDouble(RunbookSuggestion::score).reversed().thenComparing(RunbookSuggestion::runbookId));
    return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
  }

  private static String describe(SearchHit hit) {
    List<String> parts = new ArrayList<>();
    if (hit.vectorRank() != null) {
      parts.add("meaning rank " + hit.vectorRank());
    }
    if (hit.textRank() != null) {
      parts.add("text rank " + hit.textRank());
    }
    return String.format(Locale.ROOT, "matches the incident's description (%s)", String.join(", ", parts));
  }
}
