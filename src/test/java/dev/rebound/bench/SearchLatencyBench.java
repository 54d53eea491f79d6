package dev.rebound.bench;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.Database;
import dev.rebound.retrieval.DocKind;
import dev.rebound.retrieval.HybridSearch;
import dev.rebound.retrieval.MiniLmEmbedder;
import dev.rebound.retrieval.SearchQuery;
import dev.rebound.retrieval.SearchTuning;
import dev.rebound.retrieval.Terms;
import dev.rebound.retrieval.bench.AlertRunbookData;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The search-latency part of {@code bench scale} alone, over a database that {@code bench scale
 * --keep} left in place: for quick before/after comparisons of the search. Not a test: run it by hand.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.rebound.bench.SearchLatencyBench DATABASE DATA_DIR [rounds]
 * </pre>
 *
 * Reaches the server through DATABASE_URL (as the service does), with DATABASE in place of its database.
 */
public final class SearchLatencyBench {
  private SearchLatencyBench() {}

  public static void main(String[] args) throws Exception {
    DatabaseUrl url = ReboundConfig.fromEnvironment().database().withDatabase(args[0]);
    List<String> queries = AlertRunbookData.load(Path.of(args[1])).queries().stream()
        .map(AlertRunbookData.Query::text).toList();
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    SearchTuning d = SearchTuning.DEFAULT;
    // optional: another ef_search, to compare
    SearchTuning tuning = args.length > 3 ? new SearchTuning(d.rrfK(), d.vectorWeight(), d.textWeight(), d.candidates(),
        Integer.parseInt(args[3]), d.titleWeight(), d.overviewWeight()) : d;
    MiniLmEmbedder embedder = MiniLmEmbedder.byDefault().warmUp();
    Vertx vertx = Vertx.vertx();
    Database database = Database.create(vertx, url);
    try {
      HybridSearch search = new HybridSearch(vertx, database.pool(), embedder, tuning);
      List<float[]> vectors = new ArrayList<>();
      for (String q : queries) {
        vectors.add(embedder.embed(Terms.forEmbedding(q)));
      }
      if (rounds == 0) {
        recall(url, vectors, tuning.efSearch());
        return;
      }
      for (int i = 0; i < queries.size(); i++) { // warm the caches once
        search.search(SearchQuery.of(queries.get(i), null, 10), vectors.get(i)).await(60, TimeUnit.SECONDS);
        search.search(SearchQuery.of(queries.get(i), null, 10)).await(60, TimeUnit.SECONDS);
      }
      double[] cpu = new double[3];
      double[] server = new double[3];
      List<Double> dbMs = new ArrayList<>();
      List<Double> fullMs = new ArrayList<>();
      List<Double> filteredMs = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        findBackends(args[0]);
        for (int i = 0; i < queries.size(); i++) {
          SearchQuery q = SearchQuery.of(queries.get(i), null, 10);
          double c = cpuMs(args[0]);
          double s1 = serverMs;
          long t = System.nanoTime();
          search.search(q, vectors.get(i)).await(60, TimeUnit.SECONDS);
          dbMs.add((System.nanoTime() - t) / 1e6);
          double c2 = cpuMs(args[0]);
          double s2 = serverMs;
          t = System.nanoTime();
          search.search(q).await(60, TimeUnit.SECONDS);
          fullMs.add((System.nanoTime() - t) / 1e6);
          double c3 = cpuMs(args[0]);
          double s3 = serverMs;
          t = System.nanoTime();
          search.search(SearchQuery.of(queries.get(i), DocKind.RUNBOOK, 10)).await(60, TimeUnit.SECONDS);
          filteredMs.add((System.nanoTime() - t) / 1e6);
          double c4 = cpuMs(args[0]);
          server[0] += s2 - s1;
          server[1] += s3 - s2;
          server[2] += serverMs - s3;
          cpu[0] += c2 - c;
          cpu[1] += c3 - c2;
          cpu[2] += c4 - c3;
        }
      }
      int n = dbMs.size();
      System.out.println(row("database part", dbMs) + String.format(Locale.ROOT, "  cpu/search %5.1f ms (server %4.1f)", cpu[0] / n, server[0] / n));
      System.out.println(row("whole search, all kinds", fullMs) + String.format(Locale.ROOT, "  cpu/search %5.1f ms (server %4.1f)", cpu[1] / n, server[1] / n));
      System.out.println(row("whole search, kind=runbook", filteredMs) + String.format(Locale.ROOT, "  cpu/search %5.1f ms (server %4.1f)", cpu[2] / n, server[2] / n));
    } finally {
      database.close().await(30, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * CPU time (user + system, ms) of this JVM and of the server processes connected to {@code database}
   * (/proc, Linux): what a search costs the machine, which a loaded machine's wall clock hides.
   */
  /** recall@10 of the search's HNSW path at {@code ef}, as {@code bench scale} measures it. */
  private static void recall(DatabaseUrl url, List<float[]> vectors, int ef) throws Exception {
    String jdbc = "jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbc, url.user(),
        url.password().map(dev.rebound.config.Secret::reveal).orElse(null))) {
      double[] r = dev.rebound.retrieval.bench.ScaleBenchmark.recallAt10(c, vectors, ef, true);
      System.out.printf(Locale.ROOT, "recall@10 of the search's HNSW path at ef_search %d: %.3f (ids) %.3f (distance),"
          + " %.0f searched again%n", ef, r[0], r[1], r[2]);
    }
  }

  private static double serverMs;

  private static List<java.nio.file.Path> backends = List.of();

  private static double cpuMs(String database) throws Exception {
    double ms = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
    long ticks = 0;
    for (java.nio.file.Path stat : backends) {
      try {
        String text = java.nio.file.Files.readString(stat);
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (java.io.IOException gone) {
        // the process ended
      }
    }
    serverMs = ticks * 10.0;
    return ms + serverMs;
  }

  /** The stat files of the server processes connected to {@code database}, looked up once a round. */
  private static void findBackends(String database) throws Exception {
    List<java.nio.file.Path> found = new ArrayList<>();
    try (var dirs = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc"), "[0-9]*")) {
      for (java.nio.file.Path dir : dirs) {
        try {
          String cmd = java.nio.file.Files.readString(dir.resolve("cmdline"));
          if (cmd.startsWith("postgres: ") && cmd.contains(" " + database + " ")) {
            found.add(dir.resolve("stat"));
          }
        } catch (java.io.IOException gone) {
          // the process ended
        }
      }
    }
    backends = found;
  }

  private static String row(String name, List<Double> ms) {
    double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(Locale.ROOT, "  %-28s p50 %6.1f  p95 %6.1f  p99 %6.1f", name,
        percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99));
  }

  /** Nearest rank, as the benchmarks print them. */
  private static double percentile(double[] sorted, int p) {
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
  }
}
