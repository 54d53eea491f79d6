package dev.rebound.retrieval;

import dev.rebound.error.UnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *   <li>A kind filter runs in the same transaction after {@code SET LOCAL hnsw.iterative_scan =
 *       relaxed_order}, so a rare kind still yields k documents (DESIGN.md pitfalls); the
 *       relaxed order is repaired by sorting the candidates by distance here.
 * </ul>
 *
 * The query embedding runs on a worker thread; everything else is asynchronous SQL.
 */
public final class HybridSearch {
  /** Nearest chunks through the HNSW index ({@link VectorIndex}: the index's expression, for this dimension). */
  private static String vectorQuery(int dimension, boolean byKind) {
    String distance = VectorIndex.distance(dimension, "$1");
    return "select kind, doc_id, id, " + distance + " as dist from retrieval_chunks"
        + (byKind ? " where kind = $3" : "") + " order by " + distance + " limit $2";
  }

  private static final String DETAILS =
      "with q as (select case when $4 = '' then null else to_tsquery('english', $4) end as query)"
          + " select f.ord, d.title, d.source, c.heading, c.body,"
          + " case when q.query is null then null else ts_headline('english', c.body, q.query,"
          + "   'MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=1, StartSel=**, StopSel=**') end as headline"
          + " from q, unnest($1::text[], $2::text[], $3::bigint[]) with ordinality as f(kind, doc_id, chunk, ord)"
          + " join retrieval_documents d on d.kind = f.kind and d.doc_id = f.doc_id"
          + " left join lateral (select heading, body from retrieval_chunks c"
          + "   where c.kind = f.kind and c.doc_id = f.doc_id"
          + "   order by (c.id = f.chunk) desc, coalesce(ts_rank(c.tsv, q.query), 0) desc, c.ord limit 1) c on true"
          + " order by f.ord";
  /**
   * Per candidate: its title's lexemes and the query's, both under {@code rebound_title} (stemmed,
   * stop words kept: V12__retrieval_title_terms.sql), and the similarity of its overview chunk.
   */
  private static final String TITLE_COVERAGE =
      "with q as (select tsvector_to_array(to_tsvector('rebound_title', $3)) as lex)"
          + " select f.kind, f.doc_id, d.title_terms, q.lex as query_terms,"
          + " 1 - (o.embedding <=> $4::vector) as overview"
          + " from q, unnest($1::text[], $2::text[]) as f(kind, doc_id)"
          + " join retrieval_documents d on d.kind = f.kind and d.doc_id = f.doc_id"
          + " left join retrieval_chunks o on o.kind = f.kind and o.doc_id = f.doc_id and o.ord = 0";
  private static final int SNIPPET_CHARS = 240;

  static final int CHUNKS_PER_CANDIDATE = 2;

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
   * Embeds the query (templates dropped: {@link Terms#forEmbedding}) on a worker while the text
   * side already runs (the two take about as long at 100k chunks, so the text side costs no time
   * of its own), then the vector side.
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
   * The two sides run at the same time on two pooled connections: the vector side (once the
   * query's vector is there) in its own transaction (its SET LOCALs), the text side after the
   * model check. Fusion, re-ranking and details need both, on one more round of queries.
   */
  private Future<SearchResult> search(SearchQuery query, Future<float[]> queryVector, long started) {
    int candidates = Math.max(tuning.candidates(), query.k() * 2);
    // Several chunks per document: ask for more chunks than documents. Twice as many, not four
    // times: HNSW's cost grows with ef_search (>= the limit), 160 chunks took 4x the time of 80
    // at 100k chunks, and the best chunks of the top documents come first anyway.
    int chunkLimit = candidates * CHUNKS_PER_CANDIDATE;
    String normalised = Terms.withIdentifierParts(Terms.normaliseQuery(query.text()));
    String kind = query.kind().map(DocKind::wireName).orElse(null);
    Future<Map<DocKey, Candidate>> vectorHits = queryVector.compose(vector -> pool.withTransaction(conn -> conn
        .query("set local hnsw.iterative_scan = relaxed_order; set local hnsw.ef_search = "
            + Math.max(tuning.efSearch(), chunkLimit)).execute()
        .compose(v -> vectorSide(conn, vector, chunkLimit, kind))));
    Future<TextRanking.Selection> words = pool.withConnection(conn -> checkModel(conn)
        .compose(v -> TextRanking.select(conn, normalised)));
    Future<Map<DocKey, Integer>> textHits =
        words.compose(w -> pool.withConnection(conn -> TextRanking.rank(conn, w, candidates, kind)));
    // Both sides finish before any error is reported, and a failed model check wins: vectors of
    // another model (or dimension) make the vector side fail with a less helpful message.
    return Future.join(vectorHits, textHits)
        .transform(done -> words.failed() ? Future.<Void>failedFuture(words.cause())
            : done.failed() ? Future.<Void>failedFuture(done.cause()) : Future.<Void>succeededFuture())
        .compose(both -> pool.withConnection(conn ->
            rerankFeatures(conn, vectorHits.result().keySet(), textHits.result().keySet(), normalised, queryVector.result())
                .map(features -> fuse(vectorHits.result(), textHits.result(), features, query.k()))
                .compose(fused -> details(conn, fused, words.result().tsquery()))))
        .map(hits -> new SearchResult(query, hits, embedder.model(), (System.nanoTime() - started) / 1e6));
  }

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

  /** Documents by their best chunk, nearest first. */
  private Future<Map<DocKey, Candidate>> vectorSide(SqlConnection conn, float[] vector, int limit, String kind) {
    String literal = Vectors.literal(vector);
    Tuple args = kind == null ? Tuple.of(literal, limit) : Tuple.of(literal, limit, kind);
    return conn.preparedQuery(vectorQuery(vector.length, kind != null)).execute(args).map(rows -> {
      List<Row> sorted = new ArrayList<>();
      rows.forEach(sorted::add);
      // relaxed_order may return rows slightly out of order
      sorted.sort(Comparator.comparingDouble(r -> r.getDouble("dist")));
      Map<DocKey, Candidate> docs = new LinkedHashMap<>();
      for (Row r : sorted) {
        DocKey key = new DocKey(DocKind.parse(r.getString("kind")), r.getString("doc_id"));
        if (!docs.containsKey(key)) {
          docs.put(key, new Candidate(key, docs.size() + 1, r.getLong("id"), 1.0 - r.getDouble("dist")));
        }
      }
      return docs;
    });
  }

  /**
   * Re-ranking feature: the share of a candidate's title words present in the query. Sibling
   * runbooks share most of their text ("filesystem almost out of space" / "… filling up");
   * their titles are what tells them apart.
   */
  private Future<Features> rerankFeatures(
      SqlConnection conn, java.util.Set<DocKey> vector, java.util.Set<DocKey> text, String query, float[] queryVector) {
    java.util.Set<DocKey> all = new java.util.LinkedHashSet<>(vector);
    all.addAll(text);
    if ((tuning.titleWeight() == 0 && tuning.overviewWeight() == 0) || all.isEmpty()) {
      return Future.succeededFuture(new Features(Map.of(), Map.of()));
    }
    String[] kinds = all.stream().map(k -> k.kind().wireName()).toArray(String[]::new);
    String[] ids = all.stream().map(DocKey::id).toArray(String[]::new);
    return conn.preparedQuery(TITLE_COVERAGE)
        .execute(Tuple.tuple().addValue(kinds).addValue(ids).addValue(query).addValue(Vectors.literal(queryVector)))
        .map(rows -> {
          Map<DocKey, Double> coverage = new HashMap<>();
          List<Map.Entry<DocKey, Double>> overview = new ArrayList<>();
          for (Row r : rows) {
            DocKey key = new DocKey(DocKind.parse(r.getString("kind")), r.getString("doc_id"));
            TitleWords.coverage(r.getArrayOfStrings("title_terms"), r.getArrayOfStrings("query_terms"))
                .ifPresent(c -> coverage.put(key, c));
            Double o = r.getDouble("overview");
            if (o != null) {
              overview.add(Map.entry(key, o));
            }
          }
          overview.sort(Map.Entry.<DocKey, Double>comparingByValue().reversed());
          Map<DocKey, Integer> overviewRank = new HashMap<>();
          overview.forEach(e -> overviewRank.put(e.getKey(), overviewRank.size() + 1));
          return new Features(coverage, overviewRank);
        });
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
        String snippet = headline != null && headline.contains("**") ? headline : lead(body);
        hits.add(new SearchHit(f.key().kind(), f.key().id(), r.getString("title"), r.getString("source"),
            score(f), f.vectorRank(), f.textRank(), f.similarity(),
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
