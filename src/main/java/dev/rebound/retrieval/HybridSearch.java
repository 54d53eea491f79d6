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
 * Hybrid search: the query's embedding against chunk embeddings (HNSW, cosine), and its words
 * against each document's field-weighted tsvector, fused by weighted reciprocal rank fusion.
 *
 * <ul>
 *   <li>Vector side: the nearest chunks, aggregated to documents by their best chunk (max
 *       similarity), so a long document is neither favoured nor punished for its length.
 *   <li>Text side: the query's rarer words OR-ed (an alert is a sentence, not a conjunction;
 *       words found in a large share of documents are dropped, see {@link #selectTerms}), ranked
 *       with {@code ts_rank} over weights title A &gt; keywords B &gt; body C, normalised by
 *       document length.
 *   <li>Re-ranking: the share of each candidate's title words found in the query is added.
 *   <li>A kind filter runs in the same transaction after {@code SET LOCAL hnsw.iterative_scan =
 *       relaxed_order}, so a rare kind still yields k documents (DESIGN.md pitfalls); the
 *       relaxed order is repaired by sorting the candidates by distance here.
 * </ul>
 *
 * The query embedding runs on a worker thread; everything else is asynchronous SQL, one
 * transaction per search.
 */
public final class HybridSearch {
  private static final String VECTOR_ALL =
      "select kind, doc_id, id, embedding <=> $1::vector as dist from retrieval_chunks"
          + " order by embedding <=> $1::vector limit $2";
  private static final String VECTOR_KIND =
      "select kind, doc_id, id, embedding <=> $1::vector as dist from retrieval_chunks where kind = $3"
          + " order by embedding <=> $1::vector limit $2";
  private static final String TEXT_ALL =
      "select kind, doc_id, ts_rank('{0.1, 0.2, 0.4, 1.0}', tsv, q, 1) as r"
          + " from retrieval_documents, cast($1::text as tsquery) q where tsv @@ q order by r desc, doc_id limit $2";
  private static final String TEXT_KIND =
      "select kind, doc_id, ts_rank('{0.1, 0.2, 0.4, 1.0}', tsv, q, 1) as r"
          + " from retrieval_documents, cast($1::text as tsquery) q where kind = $3 and tsv @@ q"
          + " order by r desc, doc_id limit $2";
  /** The query's lexemes with their document frequency (0 when unseen) and the document count. */
  private static final String TERMS =
      "select t.lexeme, coalesce(r.ndoc, 0) as ndoc, (select documents from retrieval_index) as total"
          + " from unnest(tsvector_to_array(to_tsvector('english', $1))) as t(lexeme)"
          + " left join retrieval_terms r on r.lexeme = t.lexeme";
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
  /** Per candidate: how many of its title's lexemes (weight A) occur in the query. */
  private static final String TITLE_COVERAGE =
      "with q as (select tsvector_to_array(to_tsvector('english', $3)) as lex)"
          + " select f.kind, f.doc_id, coalesce(array_length(t.lex, 1), 0) as n,"
          + " (select count(*) from unnest(t.lex) l where l = any(q.lex)) as hit,"
          + " 1 - (o.embedding <=> $4::vector) as overview"
          + " from q, unnest($1::text[], $2::text[]) as f(kind, doc_id)"
          + " join retrieval_documents d on d.kind = f.kind and d.doc_id = f.doc_id"
          + " left join retrieval_chunks o on o.kind = f.kind and o.doc_id = f.doc_id and o.ord = 0"
          + " cross join lateral (select tsvector_to_array(ts_filter(d.tsv, '{a}')) as lex) t";
  private static final int SNIPPET_CHARS = 240;
  static final double COMMON_SHARE = 0.2;
  static final int MIN_DOCS_FOR_PRUNING = 50;
  static final int MAX_TERMS = 16;
  static final int MIN_TERMS = 2;
  /** At most about this many documents are ranked by full text (sum of the kept terms' frequencies). */
  static final long POSTINGS_BUDGET = 3000;

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

  /** Embeds the query on a worker, then searches. */
  public Future<SearchResult> search(SearchQuery query) {
    long started = System.nanoTime();
    String text = Terms.normaliseQuery(query.text());
    return vertx.executeBlocking(() -> embedder.embed(text.isEmpty() ? query.text() : text), false)
        .compose(vector -> search(query, vector, started));
  }

  /** Searches with a vector computed elsewhere (e.g. an incident's own embedding). */
  public Future<SearchResult> search(SearchQuery query, float[] vector) {
    return search(query, vector, System.nanoTime());
  }

  private Future<SearchResult> search(SearchQuery query, float[] vector, long started) {
    int candidates = Math.max(tuning.candidates(), query.k() * 2);
    // Several chunks per document: ask for more chunks than documents.
    int chunkLimit = candidates * 4;
    String normalised = Terms.withIdentifierParts(Terms.normaliseQuery(query.text()));
    String kind = query.kind().map(DocKind::wireName).orElse(null);
    return pool.withTransaction(conn -> checkModel(conn)
        .compose(v -> conn.query("set local hnsw.iterative_scan = relaxed_order").execute())
        .compose(v -> conn.query("set local hnsw.ef_search = " + Math.max(tuning.efSearch(), chunkLimit)).execute())
        .compose(v -> vectorSide(conn, vector, chunkLimit, kind))
        .compose(vectorHits -> selectTerms(conn, normalised).compose(words -> textSide(conn, words, candidates, kind)
            .compose(textHits -> rerankFeatures(conn, vectorHits.keySet(), textHits.keySet(), normalised, vector)
                .map(coverage -> fuse(vectorHits, textHits, coverage, query.k())))
            .compose(fused -> details(conn, fused, words)))))
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
    return conn.preparedQuery(kind == null ? VECTOR_ALL : VECTOR_KIND).execute(args).map(rows -> {
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
   * The query's words for full text, as a tsquery text ({@code 'a' | 'b'}): its lexemes, rarest
   * first, without those in more than {@link #COMMON_SHARE} of the documents, while their
   * document frequencies add up to at most {@link #POSTINGS_BUDGET} (the two rarest are always
   * kept), at most {@link #MAX_TERMS}. Rare words are what tell documents apart, and
   * ranking every document that contains "failed" costs hundreds of milliseconds at 100k chunks.
   */
  private Future<String> selectTerms(SqlConnection conn, String text) {
    return conn.preparedQuery(TERMS).execute(Tuple.of(text)).map(rows -> {
      List<long[]> ranked = new ArrayList<>();
      List<String> lexemes = new ArrayList<>();
      long total = 0;
      for (Row r : rows) {
        lexemes.add(r.getString("lexeme"));
        ranked.add(new long[] {r.getInteger("ndoc"), ranked.size()});
        Integer t = r.getInteger("total");
        total = t == null ? 0 : t;
      }
      ranked.sort(Comparator.comparingLong((long[] x) -> x[0]).thenComparingLong(x -> x[1]));
      List<String> kept = new ArrayList<>();
      long postings = 0;
      for (long[] term : ranked) {
        boolean common = total >= MIN_DOCS_FOR_PRUNING && term[0] > COMMON_SHARE * total;
        boolean affordable = postings + term[0] <= POSTINGS_BUDGET;
        if (kept.size() < MIN_TERMS || (kept.size() < MAX_TERMS && !common && affordable)) {
          kept.add("'" + lexemes.get((int) term[1]).replace("\\", "\\\\").replace("'", "''") + "'");
          postings += term[0];
        }
      }
      return String.join(" | ", kept);
    });
  }

  private Future<Map<DocKey, Integer>> textSide(SqlConnection conn, String words, int limit, String kind) {
    if (words.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Tuple args = kind == null ? Tuple.of(words, limit) : Tuple.of(words, limit, kind);
    return conn.preparedQuery(kind == null ? TEXT_ALL : TEXT_KIND).execute(args).map(rows -> {
      Map<DocKey, Integer> ranks = new LinkedHashMap<>();
      for (Row r : rows) {
        ranks.putIfAbsent(new DocKey(DocKind.parse(r.getString("kind")), r.getString("doc_id")), ranks.size() + 1);
      }
      return ranks;
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
            int n = r.getInteger("n");
            if (n > 0) {
              coverage.put(key, r.getLong("hit") / (double) n);
            }
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
