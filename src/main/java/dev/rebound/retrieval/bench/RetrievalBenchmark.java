package dev.rebound.retrieval.bench;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.db.Database;
import dev.rebound.retrieval.DocKind;
import dev.rebound.retrieval.Document;
import dev.rebound.retrieval.Embedder;
import dev.rebound.retrieval.HybridSearch;
import dev.rebound.retrieval.IndexReport;
import dev.rebound.retrieval.Indexer;
import dev.rebound.retrieval.SearchHit;
import dev.rebound.retrieval.SearchQuery;
import dev.rebound.retrieval.SearchTuning;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Alert-to-runbook quality: indexes the 108 runbooks into a scratch database with Rebound's
 * indexer, runs every query ({@code text}, then {@code description} alone) through Rebound's
 * search (kind runbook, top 10) and through the BM25 baseline, and prints recall@1/3/5 and MRR
 * for both, each also split into odd-numbered queries (the half tuning decisions are made on) and
 * even-numbered ones (held out).
 */
public final class RetrievalBenchmark {
  private static final int TOP = 10;
  private static final long TIMEOUT_S = 600;

  private final Path data;
  private final DatabaseUrl server;
  private final Embedder embedder;
  private final PrintWriter out;
  private final List<SearchTuning> variants;
  private boolean verbose;

  public RetrievalBenchmark(Path data, DatabaseUrl server, Embedder embedder, PrintWriter out, List<SearchTuning> variants) {
    this.data = data;
    this.server = server;
    this.embedder = embedder;
    this.out = out;
    this.variants = List.copyOf(variants);
  }

  /** Also print every query the hybrid does not rank first. */
  public RetrievalBenchmark verbose(boolean on) {
    this.verbose = on;
    return this;
  }

  /** Runs the benchmark; returns the hybrid's scores on {@code text} and {@code description}. */
  public Map<String, Scores> run() throws Exception {
    AlertRunbookData set = AlertRunbookData.load(data);
    out.printf("alert-to-runbook: %d runbooks, %d queries (%s)%n", set.runbooks().size(), set.queries().size(), data);
    Map<String, Scores> result = new LinkedHashMap<>();
    Vertx vertx = Vertx.vertx();
    try (ScratchDatabase scratch = ScratchDatabase.create(server, "quality");
        Bm25Baseline bm25 = new Bm25Baseline(set.runbooks().stream()
            .map(r -> new Bm25Baseline.Entry(r.id(), r.title(), r.text())).toList())) {
      Database database = Database.create(vertx, scratch.url());
      try {
        List<Document> docs = set.runbooks().stream().map(AlertRunbookData.Runbook::document).toList();
        IndexReport report = new Indexer(vertx, database.pool(), embedder)
            .index(docs, false, (done, total, chunks) -> {}).await(TIMEOUT_S, TimeUnit.SECONDS);
        out.printf("indexed %d runbooks, %d chunks in %.1f s (%s, %d dimensions)%n%n", report.added(),
            report.embeddedChunks(), report.took().toMillis() / 1000.0, report.model(), report.dimension());
        for (String field : List.of("text", "description")) {
          Function<AlertRunbookData.Query, String> pick = field.equals("text")
              ? AlertRunbookData.Query::text : AlertRunbookData.Query::description;
          out.println("query field: " + field);
          out.println(Scores.header());
          List<Integer> baseline = new ArrayList<>();
          for (AlertRunbookData.Query q : set.queries()) {
            baseline.add(Scores.rankOf(bm25.search(pick.apply(q), TOP), q.answer()));
          }
          for (int v = 0; v < variants.size(); v++) {
            SearchTuning tuning = variants.get(v);
            HybridSearch search = new HybridSearch(vertx, database.pool(), embedder, tuning);
            List<Integer> ranks = new ArrayList<>();
            for (AlertRunbookData.Query q : set.queries()) {
              List<SearchHit> hits = search.search(SearchQuery.of(pick.apply(q), DocKind.RUNBOOK, TOP))
                  .await(TIMEOUT_S, TimeUnit.SECONDS).hits();
              int rank = Scores.rankOf(hits.stream().map(SearchHit::id).toList(), q.answer());
              ranks.add(rank);
              if (verbose && v == 0 && rank != 1) {
                out.printf("  miss %s rank %d: %s%n    want %s%n    got  %s%n", q.qid(), rank,
                    pick.apply(q).replaceAll("\\s+", " "), q.answer(),
                    hits.stream().limit(3).map(h -> h.id() + " [v" + h.vectorRank() + " t" + h.textRank() + "]").toList());
              }
            }
            Scores scores = Scores.of(ranks);
            String name = v == 0 ? "rebound hybrid" : "variant " + describe(tuning);
            out.println(scores.row(name));
            out.println(Scores.of(half(set.queries(), ranks, true)).row("  odd qids (tuning half)"));
            out.println(Scores.of(half(set.queries(), ranks, false)).row("  even qids (held out)"));
            if (v == 0) {
              result.put(field, scores);
            }
          }
          out.println(Scores.of(baseline).row("bm25 baseline (lucene)"));
          out.println();
        }
      } finally {
        database.close().await(30, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    return result;
  }

  /**
   * The ranks of the queries with odd (or even) numbers. Tuning choices are made on the odd half
   * only; the even half shows whether they carry over to queries they were not chosen on.
   */
  private static List<Integer> half(List<AlertRunbookData.Query> queries, List<Integer> ranks, boolean odd) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      int number = Integer.parseInt(queries.get(i).qid().replaceAll("\\D", ""));
      if ((number % 2 == 1) == odd) {
        out.add(ranks.get(i));
      }
    }
    return out;
  }

  private static String describe(SearchTuning t) {
    return "k" + t.rrfK() + " v" + t.vectorWeight() + " t" + t.textWeight() + " ti" + t.titleWeight() + " o" + t.overviewWeight();
  }
}
