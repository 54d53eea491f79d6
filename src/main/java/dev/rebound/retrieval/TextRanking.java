package dev.rebound.retrieval;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The full-text side of the hybrid search: BM25 (k1 1.2, b 0.75) over {@code retrieval_postings},
 * the inverted index a trigger keeps from each document's field-weighted tsvector
 * (V12__retrieval_title_terms_bm25.sql). Reading only the query terms' postings keeps the cost
 * proportional to those postings, not to the documents matched: {@code ts_rank} over a GIN match
 * had to read every matching tsvector (about 0.5 s for 22k matches at 100k chunks). Without a
 * kind filter, a term reads at most its {@value #TERM_READS} postings of highest impact
 * (V22__retrieval_postings_by_impact.sql), the usual early termination of impact-ordered
 * postings: a word in thousands of documents then costs a bounded read, and the documents it
 * would add beyond those are the ones where it weighs least. A kind filter reads every posting of
 * the term in that kind: only the kind's share, the primary key ordering a term's postings by kind.
 *
 * <p>The query's words are OR-ed (an alert is a sentence, not a conjunction), rarest first, and
 * the common ones dropped (see {@link #select}). Stateless; asynchronous SQL on the given client.
 */
final class TextRanking {
  static final double K1 = 1.2;
  static final double B = 0.75;
  static final double COMMON_SHARE = 0.2;
  static final int MIN_DOCS_FOR_PRUNING = 50;
  static final int MAX_TERMS = 16;
  static final int MIN_TERMS = 2;
  /**
   * At most about this many postings are read (sum of the kept terms' reads). At 100k chunks
   * ({@code bench scale}) 1,500 and {@link #TERM_READS} 500 gave a whole-search p95 of 26 ms
   * against 29-31 with 3,000 and 1,000, for the same scores on the alert-to-runbook benchmark
   * (whose 108 documents never reach either limit).
   */
  static final long POSTINGS_BUDGET = 1500;
  /** The postings one term reads at most (unfiltered search), highest impact first. */
  static final int TERM_READS = 500;
  /** A posting's impact as the index orders them (V22; the same expression, or the index is not used). */
  private static final String IMPACT =
      "(p.tf / (p.tf + 1.2::real * (0.25::real + 0.75::real * p.words::real / 150::real)))";

  /** The query's lexemes with their document frequency (0 when unseen) and the corpus statistics. */
  private static final String TERMS =
      "select t.lexeme, coalesce(r.ndoc, 0) as ndoc, i.documents, i.avg_words"
          + " from unnest(tsvector_to_array(to_tsvector('english', $1))) as t(lexeme)"
          + " left join retrieval_terms r on r.lexeme = t.lexeme"
          + " cross join (select documents, avg_words from retrieval_index) i";
  private static final String BM25 =
      // float8 throughout: numeric arithmetic over thousands of postings doubled the cost
      "select p.kind, p.doc_id, sum(t.idf * p.tf * " + (K1 + 1) + "::float8"
          + " / (p.tf + " + K1 + "::float8 * (" + (1 - B) + "::float8 + " + B + "::float8 * p.words::float8 / $3::float8)))"
          + " as score";
  private static final String RANKED = " group by p.kind, p.doc_id order by score desc, p.doc_id limit $4";
  /** Each term's best postings ({@code $5}: how many, per term). */
  private static final String BM25_ALL = BM25
      + " from unnest($1::text[], $2::float8[], $5::int[]) as t(lexeme, idf, reads)"
      + " cross join lateral (select p.kind, p.doc_id, p.tf, p.words from retrieval_postings p"
      + "   where p.lexeme = t.lexeme order by " + IMPACT + " desc limit t.reads) p" + RANKED;
  /** Every posting of the kind {@code $5}. */
  private static final String BM25_KIND = BM25
      + " from unnest($1::text[], $2::float8[]) as t(lexeme, idf)"
      + " join retrieval_postings p on p.lexeme = t.lexeme where p.kind = $5" + RANKED;

  private TextRanking() {}

  /**
   * The kept query terms with their inverse document frequency and the postings each reads
   * unfiltered, and the mean document length.
   */
  record Selection(List<String> lexemes, List<Double> idf, List<Integer> reads, double avgWords) {
    static final Selection NONE = new Selection(List.of(), List.of(), List.of(), 1);

    /** The terms as a tsquery text ({@code 'a' | 'b'}), for snippets. */
    String tsquery() {
      return String.join(" | ", lexemes.stream().map(l -> "'" + l.replace("\\", "\\\\").replace("'", "''") + "'").toList());
    }
  }

  /**
   * The query's lexemes, rarest first, without those in more than {@link #COMMON_SHARE} of the
   * documents, while their reads (document frequency, at most {@link #TERM_READS}) add up to at
   * most {@link #POSTINGS_BUDGET} (the two rarest are always kept), at most {@link #MAX_TERMS}.
   * Rare words are what tell documents apart; BM25 would give the common ones almost no weight
   * anyway.
   */
  static Future<Selection> select(SqlClient client, String text) {
    return client.preparedQuery(TERMS).execute(Tuple.of(text)).map(rows -> {
      List<Row> terms = new ArrayList<>();
      rows.forEach(terms::add);
      if (terms.isEmpty()) {
        return Selection.NONE;
      }
      long total = terms.get(0).getInteger("documents");
      double avgWords = Math.max(1, terms.get(0).getFloat("avg_words"));
      terms.sort(Comparator.comparingInt((Row r) -> r.getInteger("ndoc")));
      List<String> kept = new ArrayList<>();
      List<Double> idf = new ArrayList<>();
      List<Integer> reads = new ArrayList<>();
      long postings = 0;
      for (Row term : terms) {
        int ndoc = term.getInteger("ndoc");
        int read = Math.min(ndoc, TERM_READS);
        boolean common = total >= MIN_DOCS_FOR_PRUNING && ndoc > COMMON_SHARE * total;
        boolean affordable = postings + read <= POSTINGS_BUDGET;
        if (kept.size() < MIN_TERMS || (kept.size() < MAX_TERMS && !common && affordable)) {
          kept.add(term.getString("lexeme"));
          idf.add(Math.log(1 + (total - ndoc + 0.5) / (ndoc + 0.5)));
          reads.add(read);
          postings += read;
        }
      }
      return new Selection(kept, idf, reads, avgWords);
    });
  }

  /**
   * The BM25 ranking as SQL (kind, doc_id, score; best first), for {@link #args}: {@code $1} to
   * {@code $5} ({@code $5} the kind when {@code byKind}, else the terms' reads).
   */
  static String query(boolean byKind) {
    return byKind ? BM25_KIND : BM25_ALL;
  }

  /** The parameters of {@link #query} ({@code kind} null for all kinds). */
  static Tuple args(Selection terms, int limit, String kind) {
    Tuple args = Tuple.tuple().addValue(terms.lexemes().toArray(String[]::new))
        .addValue(terms.idf().toArray(Double[]::new)).addValue(terms.avgWords()).addValue(limit);
    return kind != null ? args.addValue(kind) : args.addValue(terms.reads().toArray(Integer[]::new));
  }

  /** Documents by BM25, best first, as ranks from 1; {@code kind} null for all kinds. */
  static Future<Map<DocKey, Integer>> rank(SqlClient client, Selection terms, int limit, String kind) {
    if (terms.lexemes().isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return client.preparedQuery(query(kind != null)).execute(args(terms, limit, kind)).map(rows -> {
      Map<DocKey, Integer> ranks = new LinkedHashMap<>();
      for (Row r : rows) {
        ranks.putIfAbsent(new DocKey(DocKind.parse(r.getString("kind")), r.getString("doc_id")), ranks.size() + 1);
      }
      return ranks;
    });
  }
}
