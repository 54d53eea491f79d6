package dev.rebound.retrieval;

/**
 * Knobs of the hybrid ranking; {@link #DEFAULT} is what the service uses (chosen on the
 * alert-to-runbook benchmark, see the retrieval benchmark command).
 *
 * @param rrfK reciprocal rank fusion constant: score = Σ weight / (rrfK + rank)
 * @param vectorWeight weight of the vector (meaning) ranking
 * @param textWeight weight of the full-text ranking
 * @param candidates how many documents each side contributes before fusion (at least k)
 * @param efSearch HNSW candidate list size; higher is slower and closer to exact search
 * @param titleWeight re-ranking: how much the share of a document's title words found in the
 *     query adds, in units of one first place in a ranking ({@code 1 / rrfK}); 0 turns it off
 * @param overviewWeight re-ranking: weight of a third ranking of the candidates, by similarity of
 *     the query to their overview chunk (title + summary) alone
 */
public record SearchTuning(
    int rrfK, double vectorWeight, double textWeight, int candidates, int efSearch, double titleWeight, double overviewWeight) {
  // efSearch 200: recall@10 of the HNSW path 0.98 against exact search at 100k chunks (100: 0.96; bench scale)
  public static final SearchTuning DEFAULT = new SearchTuning(30, 1.0, 1.0, 40, 200, 0.25, 1.0);

  public SearchTuning withWeights(double vector, double text) {
    return new SearchTuning(rrfK, vector, text, candidates, efSearch, titleWeight, overviewWeight);
  }

  public SearchTuning withRrfK(int k) {
    return new SearchTuning(k, vectorWeight, textWeight, candidates, efSearch, titleWeight, overviewWeight);
  }

  public SearchTuning withOverviewWeight(double weight) {
    return new SearchTuning(rrfK, vectorWeight, textWeight, candidates, efSearch, titleWeight, weight);
  }

  public SearchTuning withTitleWeight(double weight) {
    return new SearchTuning(rrfK, vectorWeight, textWeight, candidates, efSearch, weight, overviewWeight);
  }
}
