package dev.rebound.retrieval.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.rebound.config.DatabaseUrl;
import dev.rebound.db.Database;
import dev.rebound.retrieval.CachingEmbedder;
import dev.rebound.retrieval.Document;
import dev.rebound.retrieval.Embedder;
import dev.rebound.retrieval.IndexProgress;
import dev.rebound.retrieval.IndexReport;
import dev.rebound.retrieval.Indexer;
import dev.rebound.retrieval.MiniLmEmbedder;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Indexing throughput, the first part of {@code bench scale} and all of {@code bench index}: the
 * data set's runbooks through Rebound's indexer into an empty index (embedding, inserts and the
 * HNSW build), then a second run over the same content, which must embed nothing. In the same
 * run, the two parts alone: the inserts (a second scratch database, the first run's vectors
 * replayed, so no embedding) and the embedding ({@link StockBaseline}, with langchain4j's stock
 * session as the baseline). chars/s counts the documents' titles and bodies, so smaller chunks
 * would not raise it. The load average is printed with the figures: other processes on the same
 * cores lower them. Blocking.
 */
public final class IndexBenchmark {
  private static final long TIMEOUT_S = 600;

  private final AlertRunbookData set;
  private final Embedder embedder;
  private final PrintWriter out;

  IndexBenchmark(AlertRunbookData set, Embedder embedder, PrintWriter out) {
    this.set = set;
    this.embedder = embedder;
    this.out = out;
  }

  /** {@code bench index}: the whole measurement in a scratch database of {@code server}. */
  public static void run(Path data, DatabaseUrl server, Embedder embedder, PrintWriter out) throws Exception {
    AlertRunbookData set = AlertRunbookData.load(data);
    Vertx vertx = Vertx.vertx();
    try (ScratchDatabase scratch = ScratchDatabase.create(server, "index")) {
      Database database = Database.create(vertx, scratch.url());
      try {
        new IndexBenchmark(set, embedder, out).run(vertx, database, server);
      } finally {
        database.close().await(30, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** Indexes the runbooks into {@code database} (an empty index); {@code server} hosts the inserts-only scratch database. */
  IndexReport run(Vertx vertx, Database database, DatabaseUrl server) throws Exception {
    List<Document> docs = set.runbooks().stream().map(AlertRunbookData.Runbook::document).toList();
    long chars = docs.stream().mapToLong(d -> d.bodyText().length() + d.title().length()).sum();
    // Remembers the vectors, so the inserts-alone run below gets them without embedding.
    CachingEmbedder recording = new CachingEmbedder(embedder);
    // As the service does at start (RetrievalWiring), before its first indexing.
    vertx.executeBlocking(() -> embedder instanceof MiniLmEmbedder model ? model.warmUp() : embedder.embed("warm up"), false)
        .await(120, TimeUnit.SECONDS);
    out.printf(Locale.ROOT, "load average before: %.2f (%d cores)%n", load(), Runtime.getRuntime().availableProcessors());
    long cpu = processCpu();
    IndexReport first = new Indexer(vertx, database.pool(), recording).index(docs, false, IndexProgress.NONE)
        .await(TIMEOUT_S, TimeUnit.SECONDS);
    double jvmCpu = (processCpu() - cpu) / 1e9;
    out.printf(Locale.ROOT, "indexing: %d documents, %d chunks in %.2f s = %.0f chunks/s, %.0f chars/s (embedding + inserts);"
            + " this JVM busy %.2f core-s (%.0f%% of the cores)%n",
        first.added(), first.embeddedChunks(), seconds(first), first.chunksPerSecond(), chars / seconds(first), jvmCpu,
        100 * jvmCpu / seconds(first) / Runtime.getRuntime().availableProcessors());
    IndexReport second = new Indexer(vertx, database.pool(), embedder).index(docs, false, IndexProgress.NONE)
        .await(TIMEOUT_S, TimeUnit.SECONDS);
    out.printf(Locale.ROOT, "second run over unchanged content: %d unchanged, embedded %d chunks, %.2f s%n",
        second.unchanged(), second.embeddedChunks(), seconds(second));
    try (ScratchDatabase scratch = ScratchDatabase.create(server, "inserts")) {
      Database inserts = Database.create(vertx, scratch.url());
      try {
        IndexReport stored = new Indexer(vertx, inserts.pool(), recording).index(docs, false, IndexProgress.NONE)
            .await(TIMEOUT_S, TimeUnit.SECONDS);
        out.printf(Locale.ROOT, "inserts alone (the same vectors replayed, into an empty index): %.2f s = %.0f chunks/s%n",
            seconds(stored), stored.chunksPerSecond());
      } finally {
        inserts.close().await(30, TimeUnit.SECONDS);
      }
    }
    StockBaseline.print(docs, set.queries().stream().map(AlertRunbookData.Query::text).toList(), embedder, out);
    out.printf(Locale.ROOT, "load average after: %.2f%n", load());
    return first;
  }

  private static double seconds(IndexReport r) {
    return Math.max(1e-3, r.took().toNanos() / 1e9);
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static long processCpu() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }
}
