package dev.rebound.retrieval;

import dev.rebound.inventory.Asset;
import dev.rebound.inventory.Durations;
import java.util.ArrayList;
import java.util.List;

/** An asset of the inventory as a document: what it is, what it needs, where its data comes from. */
public final class AssetDocuments {
  private AssetDocuments() {}

  public static Document of(Asset a, String source) {
    String keywords = a.id() + " (" + a.kind().yamlName() + ", owner " + a.owner()
        + (a.tier() == null ? "" : ", tier " + a.tier()) + ")";
    List<Section> sections = new ArrayList<>();
    sections.add(new Section("Description", a.description()));
    List<String> facts = new ArrayList<>();
    if (!a.dependsOn().isEmpty()) {
      facts.add("Depends on " + String.join(", ", a.dependsOn()) + ".");
    }
    if (!a.lineage().derivedFrom().isEmpty()) {
      facts.add("Derived from " + String.join(", ", a.lineage().derivedFrom()) + ".");
    }
    a.lineage().findArtifact().ifPresent(art -> facts.add("Artifact " + art.uri()
        + (art.version() == null ? "" : " version " + art.version()) + "."));
    a.lineage().findTrainingData().ifPresent(t -> facts.add("Trained on " + t.asset()
        + (t.snapshot() == null ? "" : " snapshot " + t.snapshot()) + "."));
    if (!a.recoveryRunbooks().isEmpty()) {
      facts.add("Recovered with runbooks " + String.join(", ", a.recoveryRunbooks()) + ".");
    }
    facts.add("RTO " + Durations.format(a.rto()) + ", RPO " + Durations.format(a.rpo()) + ".");
    sections.add(new Section("Dependencies and lineage", String.join("\n", facts)));
    return new Document(DocKind.ASSET, a.id(), a.name(), keywords, sections, source);
  }
}
