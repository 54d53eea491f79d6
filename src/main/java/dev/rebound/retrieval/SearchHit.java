package dev.rebound.retrieval;

/**
 * One document found, with why: its rank among vector (meaning) matches and among full-text
 * matches (null when it was not a candidate there), the fused score, and a snippet from its best
 * matching chunk.
 *
 * @param similarity cosine similarity of the best chunk to the query, null without a vector match
 */
public record SearchHit(
    DocKind kind,
    String id,
    String title,
    String source,
    double score,
    Integer vectorRank,
    Integer textRank,
    Double similarity,
    String heading,
    String snippet) {

  public DocKey key() {
    return new DocKey(kind, id);
  }
}
