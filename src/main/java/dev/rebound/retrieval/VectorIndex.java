package dev.rebound.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The HNSW index over chunk embeddings, kept in half precision ({@code halfvec}): an expression
 * index on {@code embedding::halfvec(N)} (V16__retrieval_halfvec_index.sql). Half the pages of a
 * {@code vector} index (100 MB instead of 195 MB at 100k chunks of 384 dimensions, so it stays in
 * shared buffers) and cheaper distances, for a rounding of the stored vectors far below the
 * distance between neighbours. It also indexes up to 4,000 dimensions ({@code vector}: 2,000).
 *
 * <p>A query uses the index only when it orders by exactly the indexed expression, with the same
 * dimension: build both from here.
 *
 * <p>Graph degree {@value #M} (pgvector's default is 16): measured at 100k chunks ({@code bench
 * scale}), recall@10 against exact search misses mostly come from a few queries far from every
 * chunk, whose search settles in the wrong neighbourhood and misses all ten; apart from those, m
 * 16 missed 8-9 of 1,060 neighbours at ef_search 200, m 32 one, and m 32 at ef_search 120 reads
 * fewer index pages than m 16 at 200 (1,299 against 1,526 a query). m 24, or ef_construction 256
 * with m 16, changed nothing. The index grows from 112 to 130 MB. The price is paid by searches
 * filtered by kind (a rare kind walks more of the graph): 6,568 index pages a query against 5,118,
 * about 15-25% slower there.
 *
 * <p>Besides that index over all chunks, one per kind ({@code where kind = 'runbook'}, …): a
 * search filtered by kind walks its kind's graph instead of the whole one past other kinds'
 * chunks. At 100k chunks, 12.9% of them runbooks, the filtered vector statement took 2.4 / 3.1 ms
 * (p50 / p95, on the server, 40 queries) against 10.2 / 17.3 through the whole graph. The price:
 * the chunks are indexed twice (the per-kind graphs together about as large as the whole one), so
 * a bulk build takes about twice as long and every incremental insert updates two graphs. A query
 * uses a kind's index only when it names the kind as a literal ({@link #kindFilter}).
 */
public final class VectorIndex {
  /** HNSW graph degree and build-time candidate list (pgvector's defaults are 16 and 64). */
  public static final int M = 32;
  public static final int EF_CONSTRUCTION = 128;

  /**
   * A query whose nearest chunk found is farther than this (cosine distance; similarity below 0.5)
   * is searched again at {@link #WIDE_EF_SEARCH}: see {@link #widenedEfSearch}.
   */
  public static final double FAR = 0.5;
  /** The beam of a search repeated for a far query. */
  public static final int WIDE_EF_SEARCH = 1000;

  private VectorIndex() {}

  /**
   * The ef_search to search again with, when a search at {@code efSearch} found nothing nearer
   * than {@code nearest}: {@link #WIDE_EF_SEARCH} when that is farther than {@link #FAR}.
   *
   * <p>HNSW's greedy descent is least reliable for a query far from every chunk (an alert unlike
   * anything indexed): at 100k chunks ({@code bench scale}) such queries either find all ten
   * nearest chunks or settle in the wrong neighbourhood and find none, at any ef_search up to 400
   * (two of the 107 alert texts, nearest chunk at distance 0.50 and 0.54, found at 600 and 400;
   * recall@10 0.979 at 120 with them, 0.997 without), while every other query found at least 8 of
   * its 10 at 120. They are the only queries found farther than 0.5 there, so repeating them costs
   * about 2% of searches one more index scan (20-35 ms at 100k), and the searches whose best
   * answer is weakest get the second look.
   */
  public static Optional<Integer> widenedEfSearch(double nearest, int efSearch) {
    return nearest > FAR && efSearch < WIDE_EF_SEARCH ? Optional.of(WIDE_EF_SEARCH) : Optional.empty();
  }

  /** The index over all chunks; each kind's is this name with {@code _kind} appended. */
  static final String NAME = "retrieval_chunks_embedding";

  public static final String DROP = "drop index if exists " + NAME
      + Stream.of(DocKind.values()).map(k -> ", " + name(k)).collect(Collectors.joining());

  /** Drops the kinds' indexes, keeping the whole one (for {@code bench scale}'s cost of the second graph). */
  public static final String DROP_KINDS = "drop index if exists "
      + Stream.of(DocKind.values()).map(VectorIndex::name).collect(Collectors.joining(", "));

  /** The {@code create index} statements, for a column of {@code dimension}: the whole graph and each kind's. */
  public static String create(int dimension) {
    return graphs(dimension).stream().map(Graph::create).collect(Collectors.joining("; "));
  }

  /** The index of {@code kind}'s chunks. */
  static String name(DocKind kind) {
    return NAME + "_" + kind.wireName();
  }

  /**
   * The condition restricting a query to {@code kind}, with the kind as a literal: only then can
   * the planner prove that the kind's partial index applies (not with a parameter). Safe to
   * inline: a kind's wire name is one of four fixed words.
   */
  static String kindFilter(DocKind kind) {
    return "kind = '" + kind.wireName() + "'";
  }

  /**
   * As {@link #create} over the rows already there, with the memory to build each graph in one
   * pass ({@link #buildMemory}), for the indexes missing; a no-op when they all exist (e.g. after
   * a bulk load that failed before rebuilding them). Not {@code create index if not exists}: its notice would be
   * logged as a warning on every run.
   */
  public static String createIfMissing(int dimension) {
    List<Graph> graphs = graphs(dimension);
    // The memory is sized (a count of the rows) only when there is something to build.
    StringBuilder sql = new StringBuilder("do $$ begin if ")
        .append(graphs.stream().map(Graph::missing).collect(Collectors.joining(" or ")))
        .append(" then perform set_config('maintenance_work_mem', ").append(buildMemory(dimension))
        .append(", true); end if;");
    for (Graph g : graphs) {
      sql.append(" if ").append(g.missing()).append(" then execute '").append(g.create().replace("'", "''"))
          .append("'; end if;");
    }
    return sql.append(" end $$").toString();
  }

  /**
   * {@code maintenance_work_mem} for a build over the rows of {@code retrieval_chunks}, as a SQL
   * text expression, for the rest of the transaction. pgvector builds the graph in memory while
   * it fits and then inserts row by row into the index on disk, several times slower: at 100k
   * chunks PostgreSQL's default 64 MB ran out after 43k rows and the build (m 16, two parallel
   * workers) took 218 s; in memory, m 32 took 154 s. About {@link #bytesPerRow} a row (the half
   * precision vector, 2m neighbours of 16 bytes on the lowest layer, the element and the upper
   * layers) plus 64 MB, at most 2 GB. A parallel build takes all of it at once as dynamic shared
   * memory ({@code /dev/shm}, which a container must size: docker-compose.yml). V19 repeats this
   * formula.
   */
  static String buildMemory(int dimension) {
    return "(least(2097152, 65536 + (select count(*) from retrieval_chunks) * " + bytesPerRow(dimension)
        + " / 1024) || 'kB')";
  }

  static int bytesPerRow(int dimension) {
    return 2 * dimension + 32 * M + 512;
  }

  /** One HNSW index: its name and its {@code create index} statement. */
  private record Graph(String name, String create) {
    String missing() {
      return "to_regclass('" + name + "') is null";
    }
  }

  /** The whole graph, then each kind's in {@link DocKind} order, for a column of {@code dimension}. */
  private static List<Graph> graphs(int dimension) {
    String using = " on retrieval_chunks using hnsw ((embedding::halfvec(" + dimension
        + ")) halfvec_cosine_ops) with (m = " + M + ", ef_construction = " + EF_CONSTRUCTION + ")";
    List<Graph> out = new ArrayList<>(List.of(new Graph(NAME, "create index " + NAME + using)));
    for (DocKind kind : DocKind.values()) {
      out.add(new Graph(name(kind), "create index " + name(kind) + using + " where " + kindFilter(kind)));
    }
    return out;
  }

  /** The cosine distance of the chunk to {@code parameter} (e.g. {@code $1}, a vector literal) as the index computes it. */
  public static String distance(int dimension, String parameter) {
    return "embedding::halfvec(" + dimension + ") <=> " + parameter + "::halfvec(" + dimension + ")";
  }
}
