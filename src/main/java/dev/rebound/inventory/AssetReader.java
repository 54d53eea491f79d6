package dev.rebound.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads one entry of {@code assets:} into a draft; problems go to the collector. */
final class AssetReader {
  static final List<String> KEYS = List.of(
      "id", "name", "kind", "owner", "description", "tier", "rto", "rpo",
      "depends_on", "lineage", "recovery_runbooks");

  private AssetReader() {}

  /** {@code number} is 1-based and labels messages about an entry that has no usable id. */
  static Optional<AssetDraft> read(Problems problems, JsonNode node, String pointer, int number) {
    Optional<MappingReader> mapping = MappingReader.of(problems, node, pointer, "asset #" + number);
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    Located id = mapping.get().text("id", true).orElse(null);
    // Label by id even when its syntax is wrong: the person knows the asset by what they wrote.
    MappingReader m = id == null ? mapping.get() : mapping.get().labelled("asset '" + id.value() + "'");
    if (id != null) {
      Ids.check(m, "id", id);
    }
    m.allowOnly(KEYS);
    String name = m.text("name", false).map(Located::value).orElse(null);
    AssetKind kind = m.text("kind", true).flatMap(k -> kind(m, k)).orElse(null);
    Located owner = m.text("owner", true).filter(o -> Ids.check(m, "owner", o)).orElse(null);
    String description = m.text("description", false).map(Located::value).orElse(null);
    Integer tier = m.integer("tier", 1, 3).orElse(null);
    // An RTO of zero cannot be met by any recovery; an RPO of zero (no data loss) can.
    Duration rto = duration(m, "rto", false).orElse(null);
    Duration rpo = duration(m, "rpo", true).orElse(null);

    List<AssetDraft.Upstream> upstream = new ArrayList<>();
    List<Located> dependsOn = Lists.distinct(m, "depends_on", m.textList("depends_on"));
    dependsOn.forEach(d -> upstream.add(new AssetDraft.Upstream(d, EdgeKind.DEPENDS_ON)));
    Lineage lineage = LineageReader.read(m, upstream);
    List<Located> runbooks = Lists.distinct(m, "recovery_runbooks", m.textList("recovery_runbooks"));

    Asset asset = null;
    if (id != null && kind != null && owner != null && rto != null && rpo != null) {
      asset = new Asset(id.value(), name, kind, owner.value(), description, tier, rto, rpo,
          values(dependsOn), lineage, values(runbooks));
    }
    return Optional.of(new AssetDraft(m.label(), id, asset, owner, upstream, runbooks));
  }

  private static Optional<AssetKind> kind(MappingReader m, Located k) {
    Optional<AssetKind> kind = AssetKind.fromYaml(k.value());
    if (kind.isEmpty()) {
      m.problem("kind", "unknown kind '" + k.value() + "' (expected one of: " + AssetKind.allNames() + ")");
    }
    return kind;
  }

  private static Optional<Duration> duration(MappingReader m, String key, boolean zeroAllowed) {
    return m.scalar(key, true).flatMap(text -> {
      Optional<Duration> d = Durations.parse(text.value());
      if (d.isEmpty()) {
        m.problem(key,
            "bad duration '" + text.value() + "' for '" + key + "' (expected " + Durations.EXPECTED + ")");
      } else if (d.get().isZero() && !zeroAllowed) {
        m.problem(key, "'" + key + "' must be greater than zero");
        return Optional.empty();
      }
      return d;
    });
  }

  private static List<String> values(List<Located> located) {
    return located.stream().map(Located::value).toList();
  }
}
