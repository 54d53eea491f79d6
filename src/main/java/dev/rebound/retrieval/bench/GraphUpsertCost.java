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
import java.sql.PreparedStatement;
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
 * term statistics and the graph inserts). The graphs' share is timed on its own: each upserted
 * incident's chunk rows inserted again under another id, first with both graphs, then, as the
 * baseline in the same run, with the kinds' graphs dropped (not through the indexer, which would
 * rebuild them). The baseline runs second, on warmer caches, so the difference is if anything
 * understated. The kinds' graphs are rebuilt afterwards only for a kept database. Blocking.
 */
final class GraphUpsertCost {
  static final int UPSERTS = 30;

  private GraphUpsertCost() {}

  static void print(Vertx vertx, Database database, ScratchDatabase scratch, Embedder embedder, String[] vocabulary,
      boolean keep, PrintWriter out) throws Exception {
    Random random = new Random(13);
    List<Document> incidents = new ArrayList<>();
    for (int i = 0; i < UPSERTS; i++) {
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
    List<Double> upserts = upserts(indexer, incidents);
    List<Double> both;
    List<Double> wholeOnly;
    try (Connection c = scratch.jdbc(); Statement s = c.createStatement()) {
      both = chunkInserts(c, incidents, "-again");
      s.execute(VectorIndex.DROP_KINDS);
      wholeOnly = chunkInserts(c, incidents, "-once-more");
    }
    out.printf(Locale.ROOT, "upsert of one incident (%.1f chunks on average, vectors computed beforehand), %d of each (ms):%n"
        + "  %-42s %7s %7s%n", (double) chunks / incidents.size(), incidents.size(), "", "p50", "p95");
    out.println(row("the whole upsert, into both graphs", upserts));
    out.println(row("its chunks' insert alone, into both graphs", both));
    out.println(row("baseline: that insert, the whole graph only", wholeOnly));
    try (Connection c = scratch.jdbc(); Statement s = c.createStatement()) {
      s.execute("delete from retrieval_documents where doc_id like 'bench-graph-upsert-%'");
      if (keep) {
        s.execute(VectorIndex.createIfMissing(embedder.dimension()));
      }
    }
    out.println();
  }

  /**
   * Inserts each incident's chunk rows again, under its id with {@code suffix} (the document row
   * copied first, untimed): the rows, their text search entries and their graph inserts.
   */
  private static List<Double> chunkInserts(Connection c, List<Document> incidents, String suffix) throws Exception {
    List<Double> ms = new ArrayList<>();
    try (PreparedStatement document = c.prepareStatement("insert into retrieval_documents (kind, doc_id, title, source,"
            + " content_hash, tsv, title_terms) select kind, doc_id || ?, title, source, content_hash, tsv,"
            + " title_terms from retrieval_documents where kind = 'incident' and doc_id = ?");
        PreparedStatement rows = c.prepareStatement("insert into retrieval_chunks (kind, doc_id, ord, heading, body,"
            + " embedding, tsv) select kind, doc_id || ?, ord, heading, body, embedding, tsv from retrieval_chunks"
            + " where kind = 'incident' and doc_id = ?")) {
      for (Document d : incidents) {
        document.setString(1, suffix);
        document.setString(2, d.id());
        document.executeUpdate();
        rows.setString(1, suffix);
        rows.setString(2, d.id());
        long t = System.nanoTime();
        rows.executeUpdate();
        ms.add((System.nanoTime() - t) / 1e6);
      }
    }
    return ms;
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
