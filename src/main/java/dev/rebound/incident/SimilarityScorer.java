package dev.rebound.incident;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scores how alike two incidents are: {@value #MEANING} × meaning (cosine of their embeddings)
 * + {@value #ASSETS} × asset overlap + {@value #SYMPTOMS} × symptom overlap. Meaning carries
 * most weight because people name the same failure differently; shared assets say "the same
 * part of the platform broke", which is what makes a past resolution reusable. Pure; one
 * instance per scoring pass (it remembers the last target's related assets), not thread-safe.
 */
public final class SimilarityScorer {
  static final double MEANING = 0.55;
  static final double ASSETS = 0.30;
  static final double SYMPTOMS = 0.15;

  private final AssetRelations relations;
  /** One target is scored against every incident: its graph walk is done once, not per incident. */
  private List<String> lastAssets;
  private Map<String, String> lastRelated;

  public SimilarityScorer(AssetRelations relations) {
    this.relations = relations;
  }

  private Map<String, String> relatedTo(List<String> assets) {
    if (!assets.equals(lastAssets)) {
      lastRelated = relations.related(assets);
      lastAssets = List.copyOf(assets);
    }
    return lastRelated;
  }

  public SimilarIncident score(Incident target, Incident other, double cosine) {
    double meaning = Math.max(0, Math.min(1, cosine));
    List<String> shared = new ArrayList<>();
    List<String> related = new ArrayList<>();
    Map<String, String> relatedToTarget = relatedTo(target.assets());
    Set<String> union = new LinkedHashSet<>(target.assets());
    union.addAll(other.assets());
    for (String a : other.assets()) {
      if (target.assets().contains(a)) {
        shared.add(a);
      } else if (relatedToTarget.containsKey(a)) {
        related.add(a + " (" + relatedToTarget.get(a) + ")");
      }
    }
    double assetOverlap = union.isEmpty() ? 0 : (shared.size() + 0.5 * related.size()) / union.size();
    Set<String> targetSymptoms = normalised(target.symptoms());
    Set<String> otherSymptoms = normalised(other.symptoms());
    List<String> sharedSymptoms = other.symptoms().stream().filter(s -> targetSymptoms.contains(norm(s))).toList();
    Set<String> symptomUnion = new LinkedHashSet<>(targetSymptoms);
    symptomUnion.addAll(otherSymptoms);
    double symptomOverlap = symptomUnion.isEmpty() ? 0 : sharedSymptoms.size() / (double) symptomUnion.size();
    double score = MEANING * meaning + ASSETS * assetOverlap + SYMPTOMS * symptomOverlap;
    List<String> reasons = new ArrayList<>();
    reasons.add(String.format(Locale.ROOT, "similar in meaning (cosine %.2f)", meaning));
    if (!shared.isEmpty()) {
      reasons.add("same assets: " + String.join(", ", shared));
    }
    if (!related.isEmpty()) {
      reasons.add("related assets: " + String.join(", ", related));
    }
    if (!sharedSymptoms.isEmpty()) {
      reasons.add("same symptoms: " + String.join(", ", sharedSymptoms));
    }
    return new SimilarIncident(other, score, meaning, assetOverlap, symptomOverlap, shared, related, sharedSymptoms, reasons);
  }

  private static Set<String> normalised(List<String> symptoms) {
    Set<String> out = new LinkedHashSet<>();
    symptoms.forEach(s -> out.add(norm(s)));
    return out;
  }

  private static String norm(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", " ").strip();
  }
}
