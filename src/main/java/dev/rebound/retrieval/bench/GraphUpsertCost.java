package dev.rebound.retrieval.bench;

import dev.rebound.db.Database;
import dev.rebound.retrieval.CachingEmbedder;
import dev.rebound.retrieval.Chunk;
import dev.rebound.retrieval.Chunker;
import dev.rebound.retrieval.Document;
import dev.rebound.retrieval.Embedder;
import dev.rebound.retrieval.Indexer;
import dev.rebound.retrieval.VectorIndex;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What each chunk's second HNSW graph (its kind's, V24) costs an incremental upsert, in {@code bench
 * scale}'s large index: incidents upserted one at a time as {@code POST /api/incidents} does, their
 * vectors computed beforehand so that only the database's work is timed (inserts, text search,
 * term statistics and the graph inserts); first with both graphs, then, as the baseline in the same
 * run, with the kinds' graphs dropped. The baseline runs second, on warmer caches, so the difference
 * is if anything understated. The kinds' graphs are rebuilt afterwards only for a kept database.
 * Blocking.
 */
final class GraphUpsertCost {
  static final int UPSERTS = 30;

  private GraphUpsertCost() {}

  static void print(Vertx vertx, Database database, ScratchDatabase scratch, Embedder embedder, String[] vocabulary,
      boolean keep, PrintWriter out) throws Exception {
    Random random = new Random(13);
    List<Document> incidents = new ArrayList<>();
    for (int i = 0; i < 2 * UPSERTS; i++) {
      incidents.add(UpsertBenchmark.incident("bench-graph-upsert-" + i, vocabulary, random));
    }
    CachingEmbedder vectors = new CachingEmbedder(embedder);
    Chunker chunker = new Chunker();
    int chunks = 0;
    for (Document d : incidents) {
      List<String> texts = chunker.chunks(d).stream().map(Chunk::embedText).toList();
      vectors.embed(texts);
      chunks += texts.size();
    }
    Indexer indexer = new Indexer(vertx, database.pool(), vectors);
    List<Double> both = upserts(indexer, incidents.subList(0, UPSERTS));
    try (Connection c = scratch.jdbc(); Statement s = c.createStatement()) {
      s.execute(VectorIndex.DROP_KINDS);
    }
    List<Double> wholeOnly = upserts(indexer, incidents.subList(UPSERTS, 2 * UPSERTS));
    out.printf(Locale.ROOT, "upsert of one incident (%.1f chunks on average, vectors computed beforehand), %d each (ms):"
        + "      p50     p95%n", (double) chunks / incidents.size(), UPSERTS);
    out.println(row("into the whole graph and its kind's", both));
    out.println(row("baseline: into the whole graph only", wholeOnly));
    try (Connection c = scratch.jdbc(); Statement s = c.createStatement()) {
      s.execute("delete from retrieval_documents where doc_id like 'bench-graph-upsert-%'");
      if (keep) {
        s.execute(VectorIndex.createIfMissing(embedder.dimension()));
      }
    }
    out.println();
  }

  private static List<Double> upserts(Indexer indexer, List<Document> incidents) throws Exception {
    List<Double> ms = new ArrayList<>();
    for (Document d : incidents) {
      long t = System.nanoTime();
      indexer.upsert(List.of(d)).await(60, TimeUnit.SECONDS);
      ms.add((System.nanoTime() - t) / 1e6);
    }
    return ms;
  }

  private static String row(String name, List<Double> ms) {
    double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(Locale.ROOT, "  %-42s %7.1f %7.1f", name, Percentile.of(sorted, 50), Percentile.of(sorted, 95));
  }
}
