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
  /**
   * Chosen on the odd-numbered queries of the alert-to-runbook benchmark, together with the
   * template-free query embedding ({@link Terms#forEmbedding}): that embedding alone lifted text
   * recall@1 from 0.907 to 0.935 but cost description 0.850 → 0.832 under the former constants
   * (rrfK 30, equal weights); a sharper fusion (rrfK 20) that trusts BM25's rank a little more
   * (1.5) brought text to 0.953 and description back to 0.850, the held-out even half
   * improving with it (text 0.962 → 0.981). Neighbouring settings (rrfK 15–30, text weight
   * 1.25–1.5) score text 0.935–0.944: the gain is mostly the embedding's, the last query the
   * constants'.
   *
   * <p>titleWeight 0.5 (was 0.25) since title words also match across a short stem ending
   * ({@link TitleWords#matches}: "failed" / "failures", "configuration" / "config"): with that
   * fix the signal points at the wrong sibling less often and can weigh more. Text recall@1 0.953
   * → 0.953 (fp32) and 0.925 → 0.944 (int8), description 0.850 → 0.860 and 0.832 → 0.841; 1.0
   * costs text recall@1 again (0.935).
   *
   * <p>efSearch 80: with the index's graph degree 32 ({@link VectorIndex}) and the wider second
   * search of far queries ({@link VectorIndex#widenedEfSearch}), recall@10 of the search's HNSW
   * path against exact search at 100k chunks 0.994 (120: 0.998, 60: 0.987, 40: 0.982; {@code
   * bench scale}). Each step down saves HNSW work the search waits for; 80 keeps a margin above
   * the 0.98 target.
   */
  public static final SearchTuning DEFAULT = new SearchTuning(20, 1.0, 1.5, 40, 80, 0.5, 1.0);

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
