package dev.rebound.retrieval;

import dev.rebound.error.UnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hybrid search: the query's embedding against chunk embeddings (HNSW over half precision, cosine), and its words
 * against each document's field-weighted tsvector, fused by weighted reciprocal rank fusion.
 *
 * <ul>
 *   <li>Vector side: the nearest chunks, aggregated to documents by their best chunk (max
 *       similarity), so a long document is neither favoured nor punished for its length.
 *   <li>Text side: BM25 over the query's rarer words, title and keywords weighted above the body
 *       ({@link TextRanking}).
 *   <li>Re-ranking: the share of each candidate's title words found in the query
 *       ({@link TitleWords}), and a ranking by similarity to each candidate's overview chunk.
 *   <li>A kind filter walks that kind's own graph ({@link VectorIndex}), in a transaction after
 *       {@code SET LOCAL hnsw.iterative_scan = relaxed_order}, so that a filter through the whole
 *       graph would still yield k documents (DESIGN.md pitfalls); the relaxed order is repaired
 *       by sorting the candidates by distance here.
 * </ul>
 *
 * The query embedding runs on a worker thread; everything else is asynchronous SQL.
 */
public final class HybridSearch {
  /**
   * The vector side in one statement: the nearest chunks through the HNSW index ({@link
   * VectorIndex}: the index's expression, for this dimension; with a kind, that kind's index),
   * and the re-ranking features of their documents.
   */
  static String vectorQuery(int dimension, DocKind kind) {
    String distance = VectorIndex.distance(dimension, "$1::vector");
    return "with hits as materialized (select kind, doc_id, id, " + distance + " as dist from retrieval_chunks"
        + (kind != null ? " where " + VectorIndex.kindFilter(kind) : "") + " order by " + distance + " limit $2)"
        + " select kind, doc_id, id, dist, null::text[] as title_terms, null::float8 as overview from hits"
        + " union all " + features("(select distinct kind, doc_id from hits) f", "$1");
  }

  /**
   * The text side in one statement: the BM25 ranking ({@link TextRanking#query}, best first) with
   * the re-ranking features of the documents ranked; the query's vector is {@code $6}.
   */
  private static String textQuery(boolean byKind) {
    return "with t as materialized (" + TextRanking.query(byKind) + ") "
        + features("t f", "$6") + " order by f.score desc, f.doc_id";
  }

  /**
   * Re-ranking features of the documents in {@code from} (kind, doc_id, as {@code f}): their title's lexemes
   * under {@code rebound_title} (stemmed, stop words kept: V12__retrieval_title_terms.sql), and
   * the similarity of their overview chunk to the query's vector ({@code vector}, a parameter).
   */
  private static String features(String from, String vector) {
    return "select f.kind, f.doc_id, null::bigint as id, null::float8 as dist, d.title_terms,"
        + " 1 - (o.embedding <=> " + vector + "::vector) as overview"
        + " from " + from
        + " join retrieval_documents d on d.kind = f.kind and d.doc_id = f.doc_id"
        + " left join retrieval_chunks o on o.kind = f.kind and o.doc_id = f.doc_id and o.ord = 0";
  }

  /** The query's title lexemes, as the title terms are made (see {@link #features}). */
  private static final String QUERY_TITLE_TERMS = "select tsvector_to_array(to_tsvector('rebound_title', $1))";

  private static final String DETAILS =
      // materialized: the query is parsed once, not for every chunk ranked and headline made
      "with q as materialized (select case when $4 = '' then null else to_tsquery('english', $4) end as query)"
          + " select f.ord, d.title, d.source, c.heading, c.body,"
          // The documents' own markdown bold is dropped: ** in a snippet marks matched words only.
          + " case when q.query is null then null else ts_headline('english', replace(c.body, '**', ''), q.query,"
          + "   'MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=1, StartSel=**, StopSel=**') end as headline"
          + " from q, unnest($1::text[], $2::text[], $3::bigint[]) with ordinality as f(kind, doc_id, chunk, ord)"
          + " join retrieval_documents d on d.kind = f.kind and d.doc_id = f.doc_id"
          + " left join lateral (select heading, body from retrieval_chunks c"
          + "   where c.kind = f.kind and c.doc_id = f.doc_id"
          + "   order by (c.id = f.chunk) desc, coalesce(ts_rank(c.tsv, q.query), 0) desc, c.ord limit 1) c on true"
          + " order by f.ord";
  private static final int SNIPPET_CHARS = 240;

  private final Vertx vertx;
  private final Pool pool;
  private final Embedder embedder;
  private final SearchTuning tuning;

  public HybridSearch(Vertx vertx, Pool pool, Embedder embedder, SearchTuning tuning) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedder = embedder;
    this.tuning = tuning;
  }

  public HybridSearch(Vertx vertx, Pool pool, Embedder embedder) {
    this(vertx, pool, embedder, SearchTuning.DEFAULT);
  }

  public Embedder embedder() {
    return embedder;
  }

  /**
   * Embeds the query (templates dropped: {@link Terms#forEmbedding}) on a worker, with only the
   * cheap first statements of the text side running meanwhile (see {@link #search(SearchQuery,
   * Future, long)}).
   */
  public Future<SearchResult> search(SearchQuery query) {
    long started = System.nanoTime();
    String text = Terms.forEmbedding(query.text());
    return search(query, vertx.executeBlocking(() -> embedder.embed(text.isEmpty() ? query.text() : text), false), started);
  }

  /** Searches with a vector computed elsewhere (e.g. an incident's own embedding). */
  public Future<SearchResult> search(SearchQuery query, float[] vector) {
    return search(query, Future.succeededFuture(vector), System.nanoTime());
  }

  /**
   * Once the query's vector is there, the two sides run at the same time on two pooled
   * connections, one statement each with the re-ranking features of its own candidates; then
   * fusion and the hits' details. Until then only the text side's model check and term lookup run
   * (one round trip): the embedding's two ONNX threads have both cores to themselves. At 100k
   * chunks, BM25 running during the embedding slowed it from about 6 to 11 ms, more than BM25
   * takes afterwards next to the vector side, on the other core.
   */
  private Future<SearchResult> search(SearchQuery query, Future<float[]> embedded, long started) {
    // Formatted once, for both sides' statements.
    Future<QueryVector> queryVector = embedded.map(v -> new QueryVector(v.length, Vectors.literal(v)));
    int candidates = Math.max(tuning.candidates(), query.k() * 2);
    // As many chunks as documents, though several chunks may share a document: each returned
    // chunk costs a heap fetch and (ef_search >= the limit) a wider HNSW beam, and the best
    // chunks of the top documents come first anyway. Twice as many (80 at 100k chunks) cost
    // 1.5-3 ms more server time a search, 10 ms with a kind filter (its iterative scan walks on
    // until it has them all), for the same scores on the alert-to-runbook benchmark.
    int chunkLimit = candidates;
    String normalised = Terms.withIdentifierParts(Terms.normaliseQuery(query.text()));
    String kind = query.kind().map(DocKind::wireName).orElse(null);
    Future<TextSide> text = textSide(normalised, candidates, kind, queryVector);
    Future<VectorSide> vector = queryVector.compose(v -> pool.withConnection(conn ->
        vectorSide(conn, v, chunkLimit, query.kind().orElse(null))));
    // Both sides finish before any error is reported, and the text side's wins: it holds the
    // model check, and vectors of another model (or dimension) make the vector side fail with a
    // less helpful message.
    return Future.join(vector, text)
        .transform(done -> text.failed() ? Future.<Void>failedFuture(text.cause())
            : done.failed() ? Future.<Void>failedFuture(done.cause()) : Future.<Void>succeededFuture())
        .compose(both -> {
          VectorSide v = vector.result();
          TextSide t = text.result();
          List<Fused> fused = fuse(v.docs(), t.ranks(), features(v, t), query.k());
          return pool.withConnection(conn -> details(conn, fused, t.words().tsquery()));
        })
        .map(hits -> new SearchResult(query, hits, embedder.model(), (System.nanoTime() - started) / 1e6));
  }

  /**
   * Model check, the query's terms and its title lexemes pipelined (one round trip); then, once
   * the query's vector is there, BM25 with the ranked documents' features. Two pooled connections
   * one after the other: none is held idle while the query is embedded.
   */
  private Future<TextSide> textSide(String normalised, int candidates, String kind, Future<QueryVector> queryVector) {
    Future<Words> prepared = pool.withConnection(conn -> {
      Future<Void> model = checkModel(conn);
      Future<TextRanking.Selection> words = TextRanking.select(conn, normalised);
      Future<String[]> titleTerms = conn.preparedQuery(QUERY_TITLE_TERMS).execute(Tuple.of(normalised))
          .map(rows -> rows.iterator().next().getArrayOfStrings(0));
      return Future.join(model, words, titleTerms)
          .transform(done -> model.failed() ? Future.<Words>failedFuture(model.cause())
              : done.failed() ? Future.<Words>failedFuture(done.cause())
              : Future.succeededFuture(new Words(words.result(), titleTerms.result())));
    });
    return prepared.compose(w -> queryVector
        .compose(vector -> ranked(w.selection(), candidates, kind, vector.literal()))
        .map(ranked -> new TextSide(w.selection(), w.titleTerms(), ranked.ranks(), ranked.features())));
  }

  private record Words(TextRanking.Selection selection, String[] titleTerms) {}

  /** Documents by BM25 as ranks from 1, with their features. */
  private Future<Ranked> ranked(TextRanking.Selection words, int candidates, String kind, String vector) {
    if (words.lexemes().isEmpty()) {
      return Future.succeededFuture(new Ranked(Map.of(), Map.of()));
    }
    Tuple args = TextRanking.args(words, candidates, kind).addValue(vector);
    return pool.withConnection(conn -> conn.preparedQuery(textQuery(kind != null)).execute(args)).map(rows -> {
      Map<DocKey, Integer> ranks = new LinkedHashMap<>();
      Map<DocKey, Row> features = new HashMap<>();
      for (Row r : rows) {
        ranks.putIfAbsent(key(r), ranks.size() + 1);
        features.put(key(r), r);
      }
      return new Ranked(ranks, features);
    });
  }

  private record Ranked(Map<DocKey, Integer> ranks, Map<DocKey, Row> features) {}

  /** The query's vector: its dimension and pgvector's text form ({@link Vectors#literal}). */
  private record QueryVector(int dimension, String literal) {}

  private record TextSide(
      TextRanking.Selection words, String[] titleTerms, Map<DocKey, Integer> ranks, Map<DocKey, Row> features) {}

  private Future<Void> checkModel(SqlConnection conn) {
    return PgIndexStore.meta(conn).compose(meta -> {
      if (meta.isEmpty()) {
        return Future.failedFuture(new UnavailableException(
            "the search index has not been built yet (the service builds it at start; or run `rebound index`)", null));
      }
      if (!meta.get().matches(embedder)) {
        return Future.failedFuture(new ReindexRequiredException(meta.get(), embedder));
      }
      return Future.succeededFuture();
    });
  }

  /**
   * Documents by their best chunk, nearest first, and their features. One round trip, or two when
   * the nearest chunk found is far from the query ({@link VectorIndex#widenedEfSearch}): then the
   * HNSW search is repeated with a wider beam.
   */
  private Future<VectorSide> vectorSide(SqlConnection conn, QueryVector vector, int limit, DocKind kind) {
    Tuple args = Tuple.tuple().addValue(vector.literal()).addValue(limit);
    String sql = vectorQuery(vector.dimension(), kind);
    int efSearch = Math.max(tuning.efSearch(), limit);
    return nearest(conn, sql, args, vectorSettings(efSearch, kind != null)).compose(side -> {
      double nearest = side.docs().values().stream().findFirst().map(c -> 1 - c.similarity()).orElse(0.0);
      return VectorIndex.widenedEfSearch(nearest, efSearch)
          .map(wider -> nearest(conn, sql, args, vectorSettings(wider, kind != null)))
          .orElse(Future.succeededFuture(side));
    });
  }

  /**
   * The vector query's transaction and its settings ({@code SET LOCAL}, for that query only).
   * Without a kind filter the HNSW graph is always walked, never a sequential scan: the planner
   * prefers one below some thousands of chunks (below about 10k at {@link
   * VectorIndex#WIDE_EF_SEARCH}), and that casts every stored vector to half precision, in software
   * in a portable pgvector build: a search at 1k chunks took 11 ms that way against 1.4 through
   * the graph, a widened one at 10k chunks 105 ms against 13-17 ({@code bench scale --chunks N
   * --keep}, then the statement in psql). A filtered search keeps the planner's choice: its
   * kind's graph, or for a kind of few chunks all of them read exactly through the kind index,
   * cheaper than the graph then.
   */
  static String vectorSettings(int efSearch, boolean byKind) {
    return "begin; set local hnsw.iterative_scan = relaxed_order; set local hnsw.ef_search = " + efSearch
        + (byKind ? "" : "; set local enable_seqscan = off");
  }

  /**
   * The vector query in one round trip: the transaction with its {@code settings} ({@link
   * #vectorSettings}), the query and the commit are pipelined; after an error the commit rolls back.
   */
  private static Future<VectorSide> nearest(SqlConnection conn, String sql, Tuple args, String settings) {
    Future<?> begin = conn.query(settings).execute();
    Future<RowSet<Row>> rows = conn.preparedQuery(sql).execute(args);
    Future<?> commit = conn.query("commit").execute();
    return Future.join(begin, rows, commit)
        .transform(done -> begin.failed() ? Future.<RowSet<Row>>failedFuture(begin.cause())
            : rows.failed() ? Future.<RowSet<Row>>failedFuture(rows.cause())
            : commit.failed() ? Future.<RowSet<Row>>failedFuture(commit.cause()) : rows)
        .map(result -> {
          List<Row> hits = new ArrayList<>();
          Map<DocKey, Row> features = new HashMap<>();
          for (Row r : result) {
            if (r.getValue("dist") != null) {
              hits.add(r);
            } else {
              features.put(key(r), r);
            }
          }
          // relaxed_order may return rows slightly out of order
          hits.sort(Comparator.comparingDouble(r -> r.getDouble("dist")));
          Map<DocKey, Candidate> docs = new LinkedHashMap<>();
          for (Row r : hits) {
            docs.putIfAbsent(key(r), new Candidate(key(r), docs.size() + 1, r.getLong("id"), 1.0 - r.getDouble("dist")));
          }
          return new VectorSide(docs, features);
        });
  }

  private record VectorSide(Map<DocKey, Candidate> docs, Map<DocKey, Row> features) {}

  private static DocKey key(Row r) {
    return new DocKey(DocKind.parse(r.getString("kind")), r.getString("doc_id"));
  }

  /**
   * Re-ranking features of every candidate (vector side first, then text side, the order that
   * breaks ties in similarity): the share of its title words present in the query (sibling
   * runbooks share most of their text, "filesystem almost out of space" / "… filling up"; their
   * titles tell them apart), and its rank by similarity of its overview chunk.
   */
  private static Features features(VectorSide vector, TextSide text) {
    Set<DocKey> all = new LinkedHashSet<>(vector.docs().keySet());
    all.addAll(text.ranks().keySet());
    Map<DocKey, Double> coverage = new HashMap<>();
    List<Map.Entry<DocKey, Double>> overview = new ArrayList<>();
    for (DocKey key : all) {
      Row r = vector.features().getOrDefault(key, text.features().get(key));
      if (r == null) {
        continue; // removed while searching
      }
      TitleWords.coverage(r.getArrayOfStrings("title_terms"), text.titleTerms()).ifPresent(c -> coverage.put(key, c));
      Double o = r.getDouble("overview");
      if (o != null) {
        overview.add(Map.entry(key, o));
      }
    }
    overview.sort(Map.Entry.<DocKey, Double>comparingByValue().reversed());
    Map<DocKey, Integer> overviewRank = new HashMap<>();
    overview.forEach(e -> overviewRank.put(e.getKey(), overviewRank.size() + 1));
    return new Features(coverage, overviewRank);
  }

  /** Re-ranking features of the candidates: title coverage, and rank by similarity to their overview chunk. */
  record Features(Map<DocKey, Double> titleCoverage, Map<DocKey, Integer> overviewRank) {}

  List<Fused> fuse(Map<DocKey, Candidate> vector, Map<DocKey, Integer> text, Features features, int k) {
    Map<DocKey, Double> coverage = features.titleCoverage();
    Map<DocKey, Integer> overview = features.overviewRank();
    Map<DocKey, Fused> all = new HashMap<>();
    vector.values().forEach(c -> all.put(c.key(), new Fused(c.key(), c.rank(), null, c.chunkId(), c.similarity(),
        coverage.getOrDefault(c.key(), 0.0), overview.get(c.key()))));
    text.forEach((key, rank) -> all.merge(key,
        new Fused(key, null, rank, null, null, coverage.getOrDefault(key, 0.0), overview.get(key)),
        (a, b) -> new Fused(key, a.vectorRank(), rank, a.chunkId(), a.similarity(), a.titleCoverage(), a.overviewRank())));
    return all.values().stream()
        .sorted(Comparator.comparingDouble((Fused f) -> -score(f)).thenComparing(f -> f.key().toString()))
        .limit(k)
        .toList();
  }

  double score(Fused f) {
    double s = 0;
    if (f.vectorRank() != null) {
      s += tuning.vectorWeight() / (tuning.rrfK() + f.vectorRank());
    }
    if (f.textRank() != null) {
      s += tuning.textWeight() / (tuning.rrfK() + f.textRank());
    }
    if (f.overviewRank() != null) {
      s += tuning.overviewWeight() / (tuning.rrfK() + f.overviewRank());
    }
    return s + tuning.titleWeight() * f.titleCoverage() / tuning.rrfK();
  }

  private Future<List<SearchHit>> details(SqlConnection conn, List<Fused> fused, String words) {
    if (fused.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] kinds = fused.stream().map(f -> f.key().kind().wireName()).toArray(String[]::new);
    String[] ids = fused.stream().map(f -> f.key().id()).toArray(String[]::new);
    Long[] chunks = fused.stream().map(f -> f.chunkId() == null ? -1L : f.chunkId()).toArray(Long[]::new);
    return conn.preparedQuery(DETAILS).execute(Tuple.tuple().addValue(kinds).addValue(ids).addValue(chunks).addValue(words)).map(rows -> {
      List<SearchHit> hits = new ArrayList<>();
      for (Row r : rows) {
        Fused f = fused.get(r.getLong("ord").intValue() - 1);
        String body = r.getString("body") == null ? "" : r.getString("body");
        String headline = r.getString("headline");
        String snippet = headline != null && headline.contains("**") ? headline : lead(body.replace("**", ""));
        hits.add(new SearchHit(f.key().kind(), f.key().id(), r.getString("title"), r.getString("source"),
            score(f), f.vectorRank(), f.textRank(), f.similarity(), f.titleCoverage(), f.overviewRank(),
            r.getString("heading") == null ? "" : r.getString("heading"), oneLine(snippet)));
      }
      return hits;
    });
  }

  private static String lead(String body) {
    String text = Chunker.withoutCode(body);
    if (text.isBlank()) {
      text = body;
    }
    return text.length() <= SNIPPET_CHARS ? text : text.substring(0, SNIPPET_CHARS).strip() + "…";
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  private record Candidate(DocKey key, int rank, long chunkId, double similarity) {}

  record Fused(DocKey key, Integer vectorRank, Integer textRank, Long chunkId, Double similarity, double titleCoverage,
      Integer overviewRank) {}
}
