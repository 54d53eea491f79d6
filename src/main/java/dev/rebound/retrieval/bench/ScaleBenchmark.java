package dev.rebound.retrieval.bench;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.db.Database;
import dev.rebound.db.Migrations;
import dev.rebound.error.NotFoundException;
import dev.rebound.retrieval.DocKind;
import dev.rebound.retrieval.Embedder;
import dev.rebound.retrieval.HybridSearch;
import dev.rebound.retrieval.IndexReport;
import dev.rebound.retrieval.Indexer;
import dev.rebound.retrieval.SearchQuery;
import dev.rebound.retrieval.SearchTuning;
import dev.rebound.retrieval.Terms;
import dev.rebound.retrieval.VectorIndex;
import dev.rebound.retrieval.Vectors;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Speed at scale, in a scratch database:
 * <ol>
 *   <li>indexing throughput ({@link IndexBenchmark}, also {@code bench index} alone): the 108 real
 *       runbooks through Rebound's indexer (embedding included), then a second run over the same
 *       content, which must embed nothing; inserts alone and embedding alone, with langchain4j's
 *       stock fp32 session as the embedding baseline in the same run;
 *   <li>filler up to {@code chunks} chunks ({@link ScaleFiller}: mixes of the model's embeddings of
 *       real and generated text, words of the runbooks); loaded with COPY, then the HNSW index
 *       built once;
 *   <li>search latency over the 107 alert texts, after {@value #WARM_UP_ROUNDS} rounds of warm-up:
 *       query embedding alone, the database part alone, and the whole search (embedding + both
 *       sides + fusion), unfiltered and with a kind filter; and the whole search in the first
 *       round after start;
 *   <li>recall@10 of the HNSW path (half precision, {@link VectorIndex}) against exact search in
 *       full precision (index scans off) on the same data, for the real query vectors and for
 *       random vectors near the real chunks (much harder, see {@link ScaleFiller#nearReal});
 *   <li>what the kinds' own HNSW graphs cost an incident's upsert ({@link GraphUpsertCost}).
 * </ol>
 */
public final class ScaleBenchmark {
  private static final int CHUNKS_PER_DOC = 4;
  /**
   * Rounds of all searches before the timed ones, as a service that has been up has had them:
   * over the first two or three rounds (some 300-900 searches) the JIT compiles the search path
   * (ours, Vert.x, the PostgreSQL client) and each pooled connection's backend fills its caches.
   * The whole search's p95 fell from about 23 ms in the first round to 16-17 from the fourth on
   * (100k chunks, 8 rounds, two runs); the first round is printed too.
   */
  static final int WARM_UP_ROUNDS = 3;

  private final Path data;
  private final DatabaseUrl server;
  private final Embedder embedder;
  private final PrintWriter out;
  private final int chunks;
  private final int rounds;
  private ScaleFiller filler;
  private double indexBuildSeconds;
  private boolean keep;

  public ScaleBenchmark(Path data, DatabaseUrl server, Embedder embedder, PrintWriter out, int chunks, int rounds) {
    this.data = data;
    this.server = server;
    this.embedder = embedder;
    this.out = out;
    this.chunks = chunks;
    this.rounds = rounds;
  }

  public ScaleBenchmark keep(boolean on) {
    this.keep = on;
    return this;
  }

  public void run() throws Exception {
    AlertRunbookData set = AlertRunbookData.load(data);
    Vertx vertx = Vertx.vertx();
    try (ScratchDatabase scratch = ScratchDatabase.create(server, "scale").keep(keep)) {
      if (keep) {
        out.println("scratch database (kept): " + scratch.url().database());
      }
      Database database = Database.create(vertx, scratch.url());
      try {
        IndexReport first = new IndexBenchmark(set, embedder, out).run(vertx, database, server);
        List<String> queries = set.queries().stream().map(AlertRunbookData.Query::text).toList();

        int fillerChunks = Math.max(0, chunks - first.embeddedChunks());
        long t0 = System.nanoTime();
        try (Connection c = scratch.jdbc()) {
          filler = ScaleFiller.create(set, realEmbeddings(c), embedder, new Random(7));
          fill(c, fillerChunks);
        }
        // What the indexer does after a load: document count and term statistics for the query side.
        new Indexer(vertx, database.pool(), embedder).recountTerms().await(600, TimeUnit.SECONDS);
        out.printf(Locale.ROOT, "filler: %d chunks (%d texts generated and embedded) loaded and HNSW index (m %d,"
            + " ef_construction %d) built in %.0f s, of which the index build %.0f s%n", fillerChunks, ScaleFiller.GENERATED,
            VectorIndex.M, VectorIndex.EF_CONSTRUCTION, (System.nanoTime() - t0) / 1e9, indexBuildSeconds);
        try (Connection c = scratch.jdbc(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("select count(*) from retrieval_chunks")) {
          rs.next();
          out.printf(Locale.ROOT, "index size: %d chunks%n%n", rs.getLong(1));
        }

        latency(vertx, database, queries);
        recall(scratch, queries);
        GraphUpsertCost.print(vertx, database, scratch, embedder, ScaleFiller.vocabulary(set), keep, out);
      } finally {
        database.close().await(30, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The search-latency part alone, over a database an earlier run kept ({@link #keep}): seconds
   * instead of minutes, for before/after comparisons of the search on the same data. The kept
   * database is migrated first, so the search measured is this build's over this build's schema.
   */
  public void searchOnly(String keptDatabase) throws Exception {
    if (!ScratchDatabase.exists(server, keptDatabase)) {
      throw new NotFoundException("no database " + keptDatabase
          + " on this server: 'bench scale --keep' creates one and prints its name");
    }
    List<String> queries = AlertRunbookData.load(data).queries().stream().map(AlertRunbookData.Query::text).toList();
    out.println(migrateKept(server.withDatabase(keptDatabase)));
    Vertx vertx = Vertx.vertx();
    try {
      Database database = Database.create(vertx, server.withDatabase(keptDatabase));
      try {
        latency(vertx, database, queries);
      } finally {
        database.close().await(30, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Brings a kept database to this build's schema, as a scratch database is at its creation: one
   * kept by an older build lacks the newer migrations (V24's per-kind indexes, say), and the
   * search would be measured without them. Only scratch databases are kept (the command takes
   * no other name), so migrating one touches nothing of Rebound's. Blocking; an index migration
   * over many chunks takes a while.
   */
  static String migrateKept(DatabaseUrl kept) {
    long t = System.nanoTime();
    Migrations.Report report = Migrations.migrate(kept);
    return String.format(Locale.ROOT, "kept database %s: schema at version %s%s", kept.database(),
        report.schemaVersion(), report.executed() == 0 ? "" : String.format(Locale.ROOT,
            " after %d migration%s it lacked (%.0f s)", report.executed(), report.executed() == 1 ? "" : "s",
            (System.nanoTime() - t) / 1e9));
  }

  private void latency(Vertx vertx, Database database, List<String> queries) throws Exception {
    out.println(memory(database));
    HybridSearch search = new HybridSearch(vertx, database.pool(), embedder, SearchTuning.DEFAULT);
    List<float[]> vectors = new ArrayList<>();
    List<Double> embedMs = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (String q : queries) {
        String text = Terms.forEmbedding(q);
        long t = System.nanoTime();
        float[] v = embedder.embed(text);
        embedMs.add((System.nanoTime() - t) / 1e6);
        if (r == 0) {
          vectors.add(v);
        }
      }
    }
    Timings firstRound = new Timings();
    for (int r = 0; r < WARM_UP_ROUNDS; r++) {
      round(search, queries, vectors, r == 0 ? firstRound : new Timings());
    }
    Timings measured = new Timings();
    for (int r = 0; r < rounds; r++) {
      round(search, queries, vectors, measured);
    }
    out.println("search latency over " + queries.size() + " alert texts x " + rounds + " rounds, after "
        + WARM_UP_ROUNDS + " rounds of warm-up (ms):");
    out.println("                                       p50     p95     p99");
    out.println(row("query embedding alone", embedMs));
    out.println(row("database part (vector+text+fusion)", measured.db));
    out.println(row("whole search, all kinds, k=10", measured.full));
    out.println(row("whole search, kind=runbook, k=10", measured.filtered));
    out.println(row("whole search, first round after start", firstRound.full));
    out.println(runbookShare(database));
    out.println();
  }

  /** How many chunks a kind=runbook search has to choose from (its own index holds just those). */
  private static String runbookShare(Database database) throws TimeoutException {
    Row r = database.pool().query("select count(*) filter (where kind = 'runbook') as runbook, count(*) as total"
        + " from retrieval_chunks").execute().await(30, TimeUnit.SECONDS).iterator().next();
    long runbook = r.getLong("runbook");
    long total = Math.max(1, r.getLong("total"));
    return String.format(Locale.ROOT, "kind=runbook: %d of %d chunks (%.1f%%), searched through their own HNSW index",
        runbook, total, 100.0 * runbook / total);
  }

  /**
   * The server's {@code shared_buffers} against the HNSW index's size, a condition of the
   * measurement. At 100k chunks the index (130 MB) exceeds PostgreSQL's default 128 MB and a search
   * read about 500 of its 1,700 buffers from the OS; with 1 GB, 34. The whole search's p95 did not
   * clearly change: 22.5-24.1 ms with 1 GB against 22.3-24.7 with 128 MB, back to back.
   */
  private static String memory(Database database) throws TimeoutException {
    Row r = database.pool().query("select current_setting('shared_buffers') as buffers,"
        + " pg_size_pretty(pg_relation_size('retrieval_chunks_embedding')) as index,"
        + " (select pg_size_pretty(sum(pg_relation_size(indexrelid))) from pg_index"
        + "   where indrelid = 'retrieval_chunks'::regclass and indpred is not null) as per_kind,"
        + " pg_relation_size('retrieval_chunks_embedding') <= (select setting::bigint * 8192 from pg_settings"
        + "   where name = 'shared_buffers') as fits").execute().await(30, TimeUnit.SECONDS).iterator().next();
    return "shared_buffers " + r.getString("buffers") + ", HNSW index " + r.getString("index")
        + (r.getBoolean("fits") ? "" : " (does not fit: searches read part of it from the OS's cache)")
        + ", and the kinds' own " + r.getString("per_kind") + " together";
  }

  /** Milliseconds of the three searches timed in {@link #round}. */
  private record Timings(List<Double> db, List<Double> full, List<Double> filtered) {
    Timings() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  /** Each query once as each of the three searches: with its vector given, whole, whole with a kind filter. */
  private static void round(HybridSearch search, List<String> queries, List<float[]> vectors, Timings into)
      throws TimeoutException {
    for (int i = 0; i < queries.size(); i++) {
      SearchQuery q = SearchQuery.of(queries.get(i), null, 10);
      long t = System.nanoTime();
      search.search(q, vectors.get(i)).await(60, TimeUnit.SECONDS);
      into.db().add((System.nanoTime() - t) / 1e6);
      t = System.nanoTime();
      search.search(q).await(60, TimeUnit.SECONDS);
      into.full().add((System.nanoTime() - t) / 1e6);
      t = System.nanoTime();
      search.search(SearchQuery.of(queries.get(i), DocKind.RUNBOOK, 10)).await(60, TimeUnit.SECONDS);
      into.filtered().add((System.nanoTime() - t) / 1e6);
    }
  }

  private void recall(ScratchDatabase scratch, List<String> queries) throws Exception {
    List<float[]> real = new ArrayList<>();
    for (String q : queries) {
      real.add(embedder.embed(Terms.forEmbedding(q)));
    }
    List<float[]> near = new ArrayList<>();
    Random random = new Random(99);
    for (int i = 0; i < 100; i++) {
      near.add(filler.nearReal(random));
    }
    try (Connection c = scratch.jdbc()) {
      // The search asks for as many chunks as candidates and sets ef_search to at least that.
      int used = Math.max(SearchTuning.DEFAULT.efSearch(), SearchTuning.DEFAULT.candidates());
      for (int ef : java.util.stream.IntStream.of(used, 120, 200, 400).distinct().toArray()) {
        double[] a = recallAt10(c, real, ef, false);
        double[] b = recallAt10(c, near, ef, false);
        out.printf(Locale.ROOT, "recall@10, HNSW halfvec (ef_search %d) vs exact: alert queries %.3f (ids) %.3f (distance),"
            + " random queries near real chunks %.3f (ids) %.3f (distance)%n", ef, a[0], a[1], b[0], b[1]);
      }
      double[] a = recallAt10(c, real, used, true);
      double[] b = recallAt10(c, near, used, true);
      out.printf(Locale.ROOT, "recall@10, the search's HNSW path (ef_search %d, again at %d when the nearest found is"
          + " farther than %.2f) vs exact: alert queries %.3f (ids) %.3f (distance), %.0f of %d searched again;"
          + " random queries near real chunks %.3f (ids) %.3f (distance), %.0f of %d searched again%n",
          used, VectorIndex.WIDE_EF_SEARCH, VectorIndex.FAR, a[0], a[1], a[2], real.size(), b[0], b[1], b[2], near.size());
    }
  }

  /**
   * {ids, distance}: the share of the exact top 10 ids found, and (as ann-benchmarks counts it)
   * the share of HNSW's 10 whose distance is within 0.1% of the exact 10th distance, which does
   * not punish swapping near-ties (the filler has many); and how many queries were searched again.
   *
   * @param widen search again as the search does when the nearest found is far ({@link VectorIndex#widenedEfSearch})
   */
  private static double[] recallAt10(Connection c, List<float[]> vectors, int ef, boolean widen) throws Exception {
    double ids = 0;
    double dist = 0;
    int again = 0;
    for (float[] v : vectors) {
      java.util.Map<Long, Double> approx = top10(c, v, "set local hnsw.ef_search = " + ef, true);
      double nearest = approx.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
      var wider = widen ? VectorIndex.widenedEfSearch(nearest, ef) : java.util.Optional.<Integer>empty();
      if (wider.isPresent()) {
        approx = top10(c, v, "set local hnsw.ef_search = " + wider.get(), true);
        again++;
      }
      java.util.Map<Long, Double> exact = top10(c, v, "set local enable_indexscan = off", false);
      double tenth = exact.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
      Set<Long> found = new HashSet<>(approx.keySet());
      found.retainAll(exact.keySet());
      ids += found.size() / (double) exact.size();
      dist += approx.values().stream().filter(d -> d <= tenth * 1.001 + 1e-9).count() / (double) exact.size();
    }
    return new double[] {ids / vectors.size(), dist / vectors.size(), again};
  }

  /**
   * The 10 nearest chunks with their exact distance, through the HNSW index (never a sequential
   * scan, as the search: a small {@code --chunks} would otherwise measure exact search against
   * itself) or exactly.
   */
  private static java.util.Map<Long, Double> top10(Connection c, float[] v, String setting, boolean index) throws Exception {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute(setting);
      if (index) {
        s.execute("set local enable_seqscan = off");
      }
      java.util.Map<Long, Double> ids = new java.util.HashMap<>();
      String literal = Vectors.literal(v);
      String order = index ? VectorIndex.distance(v.length, "'" + literal + "'") : "embedding <=> '" + literal + "'::vector";
      try (ResultSet rs = s.executeQuery("select id, embedding <=> '" + literal + "'::vector from retrieval_chunks"
          + " order by " + order + " limit 10")) {
        while (rs.next()) {
          ids.put(rs.getLong(1), rs.getDouble(2));
        }
      }
      return ids;
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  /** Loads {@code n} filler chunks with COPY, then (re)builds the HNSW index once. */
  private void fill(Connection c, int n) throws Exception {
    Random random = new Random(42);
    try (Statement s = c.createStatement()) {
      s.execute(VectorIndex.DROP);
      s.execute("create temporary table filler (kind text, doc_id text, ord int, body text, embedding vector("
          + embedder.dimension() + "))");
    }
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    String[] kinds = {"doc", "doc", "doc", "asset", "incident", "incident", "runbook", "doc"};
    int batch = 5000;
    for (int start = 0; start < n; start += batch) {
      StringBuilder sb = new StringBuilder();
      for (int i = start; i < Math.min(n, start + batch); i++) {
        int doc = i / CHUNKS_PER_DOC;
        sb.append(kinds[doc % kinds.length]).append('\t').append("filler-").append(doc).append('\t')
            .append(i % CHUNKS_PER_DOC).append('\t').append(filler.text(random))
            .append('\t').append(Vectors.literal(filler.vector(random))).append('\n');
      }
      copy.copyIn("copy filler from stdin", new StringReader(sb.toString()));
    }
    try (Statement s = c.createStatement()) {
      s.execute("insert into retrieval_documents (kind, doc_id, title, source, content_hash, tsv)"
          + " select kind, doc_id, 'Filler ' || doc_id, 'filler', repeat('0', 64),"
          + " to_tsvector('english', string_agg(body, ' ')) from filler group by kind, doc_id");
      s.execute("insert into retrieval_chunks (kind, doc_id, ord, heading, body, embedding, tsv)"
          + " select kind, doc_id, ord, '', body, embedding, to_tsvector('english', body) from filler");
      // As the indexer builds it after a bulk load, with the memory it sizes for the rows.
      long t = System.nanoTime();
      s.execute(VectorIndex.createIfMissing(embedder.dimension()));
      indexBuildSeconds = (System.nanoTime() - t) / 1e9;
      s.execute("analyze retrieval_chunks");
      s.execute("analyze retrieval_documents");
      s.execute("vacuum analyze retrieval_postings");
    }
  }

  private static float[][] realEmbeddings(Connection c) throws Exception {
    List<float[]> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select embedding::text from retrieval_chunks")) {
      while (rs.next()) {
        out.add(Vectors.parse(rs.getString(1)));
      }
    }
    return out.toArray(float[][]::new);
  }

  private static String row(String name, List<Double> ms) {
    double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(Locale.ROOT, "  %-36s %7.1f %7.1f %7.1f", name,
        Percentile.of(sorted, 50), Percentile.of(sorted, 95), Percentile.of(sorted, 99));
  }
}
