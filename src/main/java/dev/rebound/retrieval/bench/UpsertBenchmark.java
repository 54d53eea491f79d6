package dev.rebound.retrieval.bench;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.db.Database;
import dev.rebound.retrieval.Chunk;
import dev.rebound.retrieval.Chunker;
import dev.rebound.retrieval.DocKind;
import dev.rebound.retrieval.Document;
import dev.rebound.retrieval.Embedder;
import dev.rebound.retrieval.IndexProgress;
import dev.rebound.retrieval.Indexer;
import dev.rebound.retrieval.MiniLmEmbedder;
import dev.rebound.retrieval.Section;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * One document upserted into a large index, as {@code POST /api/incidents} does, in a scratch
 * database filled with synthetic documents (words of the runbooks, as often as they occur there,
 * and a host name; documents only, no chunks: the vectors are not what is measured). Each round
 * times the upsert of one incident whose text changed (embedding included, and timed again
 * alone), and, as the baseline in the same run, the whole recount of the term statistics that
 * every upsert waited for before the term log (V23__retrieval_terms_log.sql). Blocking.
 */
public final class UpsertBenchmark {
  private static final long TIMEOUT_S = 600;

  private UpsertBenchmark() {}

  public static void run(Path data, DatabaseUrl server, Embedder embedder, PrintWriter out, int documents, int rounds)
      throws Exception {
    String[] vocabulary = ScaleFiller.vocabulary(AlertRunbookData.load(data));
    Random random = new Random(11);
    Vertx vertx = Vertx.vertx();
    try (ScratchDatabase scratch = ScratchDatabase.create(server, "upsert")) {
      Database database = Database.create(vertx, scratch.url());
      try {
        Indexer indexer = new Indexer(vertx, database.pool(), embedder);
        indexer.index(List.of(), true, IndexProgress.NONE).await(TIMEOUT_S, TimeUnit.SECONDS); // records the model
        long t0 = System.nanoTime();
        try (Connection c = scratch.jdbc()) {
          fill(c, documents, vocabulary, random);
        }
        indexer.recountTerms().await(TIMEOUT_S, TimeUnit.SECONDS);
        try (Connection c = scratch.jdbc(); Statement s = c.createStatement()) {
          s.execute("vacuum analyze retrieval_documents, retrieval_postings");
          out.printf(Locale.ROOT, "filler: %d documents, %d postings, %d lexemes, loaded in %.0f s%n", documents,
              count(s, "select count(*) from retrieval_postings"), count(s, "select count(*) from retrieval_terms"),
              (System.nanoTime() - t0) / 1e9);
        }
        vertx.executeBlocking(() -> embedder instanceof MiniLmEmbedder model ? model.warmUp() : embedder.embed("warm up"),
            false).await(120, TimeUnit.SECONDS);
        indexer.upsert(List.of(incident(vocabulary, random))).await(TIMEOUT_S, TimeUnit.SECONDS); // added, untimed
        out.printf(Locale.ROOT, "load average before: %.2f (%d cores)%n", load(), Runtime.getRuntime().availableProcessors());
        List<Double> upserts = new ArrayList<>();
        List<Double> recounts = new ArrayList<>();
        List<Double> embeddings = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          long t = System.nanoTime();
          indexer.recountTerms().await(TIMEOUT_S, TimeUnit.SECONDS);
          recounts.add((System.nanoTime() - t) / 1e6);
          Document changed = incident(vocabulary, random);
          t = System.nanoTime();
          indexer.upsert(List.of(changed)).await(TIMEOUT_S, TimeUnit.SECONDS);
          upserts.add((System.nanoTime() - t) / 1e6);
          List<String> texts = new Chunker().chunks(changed).stream().map(Chunk::embedText).toList();
          t = System.nanoTime();
          embedder.embed(texts);
          embeddings.add((System.nanoTime() - t) / 1e6);
        }
        out.printf(Locale.ROOT, "load average after: %.2f%n", load());
        out.println("over " + documents + " documents, " + rounds + " rounds (ms):      p50     p95");
        out.println(row("upsert of one changed incident", upserts));
        out.println(row("  its embedding alone (again, afterwards)", embeddings));
        out.println(row("baseline: the whole recount it waited for", recounts));
        try (Connection c = scratch.jdbc(); Statement s = c.createStatement()) {
          out.println("term statistics after the last upsert, lexemes differing from a recount: " + count(s,
              "select count(*) from (select lexeme, count(*) as ndoc from retrieval_postings group by lexeme) r"
                  + " full join retrieval_terms t using (lexeme) where r.ndoc is distinct from t.ndoc"));
        }
      } finally {
        database.close().await(30, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** An incident as the API makes one: a title, its symptoms and assets, a body of about 150 words. */
  private static Document incident(String[] vocabulary, Random random) {
    return incident("bench-incident", vocabulary, random);
  }

  static Document incident(String id, String[] vocabulary, Random random) {
    return new Document(DocKind.INCIDENT, id, ScaleFiller.words(vocabulary, random, 6),
        ScaleFiller.words(vocabulary, random, 10) + " host-" + random.nextInt(5000),
        List.of(new Section("Summary", ScaleFiller.words(vocabulary, random, 120 + random.nextInt(60)))), "api");
  }

  /** {@code n} documents of 80 to 320 words with a host name, through COPY and one insert (the postings by trigger). */
  private static void fill(Connection c, int n, String[] vocabulary, Random random) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("create temporary table filler (doc_id text, title text, body text)");
    }
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    int batch = 2000;
    for (int start = 0; start < n; start += batch) {
      StringBuilder sb = new StringBuilder();
      for (int i = start; i < Math.min(n, start + batch); i++) {
        sb.append("filler-").append(i).append('\t').append(ScaleFiller.words(vocabulary, random, 5)).append('\t')
            .append(ScaleFiller.words(vocabulary, random, 80 + random.nextInt(240)))
            .append(" host-").append(random.nextInt(5000)).append('\n');
      }
      copy.copyIn("copy filler from stdin", new StringReader(sb.toString()));
    }
    try (Statement s = c.createStatement()) {
      s.execute("insert into retrieval_documents (kind, doc_id, title, source, content_hash, tsv)"
          + " select 'doc', doc_id, title, 'filler', repeat('0', 64),"
          + " setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'C') from filler");
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String row(String name, List<Double> ms) {
    double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(Locale.ROOT, "  %-42s %7.1f %7.1f", name, Percentile.of(sorted, 50), Percentile.of(sorted, 95));
  }
}
