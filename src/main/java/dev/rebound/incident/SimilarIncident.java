package dev.rebound.incident;

import java.util.List;

/**
 * A past incident like the one asked about, with the parts of the score and the reasons in
 * words, and how it was resolved.
 *
 * @param meaning cosine similarity of the incidents' texts (0–1)
 * @param assetOverlap shared assets (related ones count half) over all assets of both
 * @param symptomOverlap shared symptoms over all symptoms of both
 */
public record SimilarIncident(
    Incident incident, double score, double meaning, double assetOverlap, double symptomOverlap,
    List<String> sharedAssets, List<String> relatedAssets, List<String> sharedSymptoms, List<String> reasons) {}
