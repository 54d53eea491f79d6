package dev.rebound.retrieval;

/**
 * One document found, with why: its rank among vector (meaning) matches and among full-text
 * matches (null when it was not a candidate there), the two re-ranking features the fused score
 * also weighs, the score, and a snippet from its best matching chunk.
 *
 * @param similarity cosine similarity of the best chunk to the query, null without a vector match
 * @param titleCoverage the share of the document's title words found in the query, 0 to 1
 * @param overviewRank its rank among the candidates by similarity of its overview (first chunk) to
 *     the query, null when it has none
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
    double titleCoverage,
    Integer overviewRank,
    String heading,
    String snippet) {

  public DocKey key() {
    return new DocKey(kind, id);
  }
}
