package dev.rebound.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The checks of assets.yaml that need every entry: unique ids, resolvable references, no cycles. */
final class AssetChecks {
  private AssetChecks() {}

  /** The first entry for each id, in file order; later entries with the same id are reported. */
  static Map<String, AssetDraft> uniqueIds(List<AssetDraft> drafts, Problems problems) {
    Map<String, AssetDraft> byId = new LinkedHashMap<>();
    for (AssetDraft d : drafts) {
      if (d.id() == null) {
        continue;
      }
      AssetDraft first = byId.putIfAbsent(d.id().value(), d);
      if (first != null) {
        problems.at(d.id().pointer(), "duplicate asset id '" + d.id().value()
            + "' (first defined at line " + problems.line(first.id().pointer()) + ")");
      }
    }
    return byId;
  }

  /** {@code knownRunbookIds} and {@code ownerExists} may be null: that check is skipped. */
  static void references(List<AssetDraft> drafts, Set<String> assetIds, Set<String> knownRunbookIds,
      Predicate<String> ownerExists, Problems problems) {
    for (AssetDraft d : drafts) {
      for (AssetDraft.Upstream up : d.upstream()) {
        if (!assetIds.contains(up.target().value())) {
          problems.at(up.target().pointer(), d.label() + ": " + up.kind().yamlField()
              + " names unknown asset '" + up.target().value() + "'");
        }
      }
      if (knownRunbookIds != null) {
        d.runbooks().stream().filter(r -> !knownRunbookIds.contains(r.value())).forEach(r -> problems.at(
            r.pointer(), d.label() + ": recovery_runbooks names unknown runbook '" + r.value() + "'"));
      }
      if (ownerExists != null && d.owner() != null && !ownerExists.test(d.owner().value())) {
        problems.at(d.owner().pointer(), d.label() + ": owner '" + d.owner().value()
            + "' is neither a team nor a person in team.yaml");
      }
    }
  }

  /** Reported at the reference that starts the cycle, in the depends-on direction. */
  static void cycles(Map<String, AssetDraft> byId, Problems problems) {
    List<List<String>> cycles = Cycles.find(List.copyOf(byId.keySet()),
        id -> byId.get(id).upstream().stream().map(u -> u.target().value()).toList());
    for (List<String> cycle : cycles) {
      AssetDraft start = byId.get(cycle.get(0));
      String pointer = start.upstream().stream()
          .filter(u -> u.target().value().equals(cycle.get(1)))
          .findFirst().orElseThrow().target().pointer();
      problems.at(pointer, "dependency cycle: " + String.join(" -> ", cycle));
    }
  }
}
