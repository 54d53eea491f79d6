package dev.rebound.retrieval;

/**
 * The HNSW index over chunk embeddings, kept in half precision ({@code halfvec}): an expression
 * index on {@code embedding::halfvec(N)} (V16__retrieval_halfvec_index.sql). Half the pages of a
 * {@code vector} index (100 MB instead of 195 MB at 100k chunks of 384 dimensions, so it stays in
 * shared buffers) and cheaper distances, for a rounding of the stored vectors far below the
 * distance between neighbours. It also indexes up to 4,000 dimensions ({@code vector}: 2,000).
 *
 * <p>A query uses the index only when it orders by exactly the indexed expression, with the same
 * dimension: build both from here.
 */
public final class VectorIndex {
  /** HNSW graph degree and build-time candidate list (pgvector's defaults are 16 and 64). */
  public static final int M = 16;
  public static final int EF_CONSTRUCTION = 128;

  private VectorIndex() {}

  static final String DROP = "drop index if exists retrieval_chunks_embedding";

  /** {@code create index} for a column of {@code dimension}. */
  public static String create(int dimension) {
    return "create index " + definition(dimension);
  }

  /**
   * As {@link #create}, a no-op when the index exists (e.g. after a bulk load that failed before
   * rebuilding it). Not {@code create index if not exists}: its notice would be logged as a
   * warning on every run.
   */
  static String createIfMissing(int dimension) {
    return "do $$ begin if to_regclass('retrieval_chunks_embedding') is null then execute '"
        + create(dimension) + "'; end if; end $$";
  }

  private static String definition(int dimension) {
    return "retrieval_chunks_embedding on retrieval_chunks using hnsw ((embedding::halfvec(" + dimension
        + ")) halfvec_cosine_ops) with (m = " + M + ", ef_construction = " + EF_CONSTRUCTION + ")";
  }

  /** The cosine distance of the chunk to {@code parameter} (e.g. {@code $1}, a vector literal) as the index computes it. */
  public static String distance(int dimension, String parameter) {
    return "embedding::halfvec(" + dimension + ") <=> " + parameter + "::halfvec(" + dimension + ")";
  }
}
