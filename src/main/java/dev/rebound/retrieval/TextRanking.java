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
 * had to read every matching tsvector (about 0.5 s for 22k matches at 100k chunks).
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
  /** At most about this many postings are read (sum of the kept terms' document frequencies). */
  static final long POSTINGS_BUDGET = 3000;

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
          + " as score"
          + " from unnest($1::text[], $2::float8[]) as t(lexeme, idf)"
          + " join retrieval_postings p on p.lexeme = t.lexeme";
  private static final String BM25_ALL = BM25 + " group by p.kind, p.doc_id order by score desc, p.doc_id limit $4";
  private static final String BM25_KIND =
      BM25 + " where p.kind = $5 group by p.kind, p.doc_id order by score desc, p.doc_id limit $4";

  private TextRanking() {}

  /** The kept query terms with their inverse document frequency, and the mean document length. */
  record Selection(List<String> lexemes, List<Double> idf, double avgWords) {
    static final Selection NONE = new Selection(List.of(), List.of(), 1);

    /** The terms as a tsquery text ({@code 'a' | 'b'}), for snippets. */
    String tsquery() {
      return String.join(" | ", lexemes.stream().map(l -> "'" + l.replace("\\", "\\\\").replace("'", "''") + "'").toList());
    }
  }

  /**
   * The query's lexemes, rarest first, without those in more than {@link #COMMON_SHARE} of the
   * documents, while their document frequencies add up to at most {@link #POSTINGS_BUDGET} (the
   * two rarest are always kept), at most {@link #MAX_TERMS}. Rare words are what tell documents
   * apart; BM25 would give the common ones almost no weight anyway.
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
      long postings = 0;
      for (Row term : terms) {
        int ndoc = term.getInteger("ndoc");
        boolean common = total >= MIN_DOCS_FOR_PRUNING && ndoc > COMMON_SHARE * total;
        boolean affordable = postings + ndoc <= POSTINGS_BUDGET;
        if (kept.size() < MIN_TERMS || (kept.size() < MAX_TERMS && !common && affordable)) {
          kept.add(term.getString("lexeme"));
          idf.add(Math.log(1 + (total - ndoc + 0.5) / (ndoc + 0.5)));
          postings += ndoc;
        }
      }
      return new Selection(kept, idf, avgWords);
    });
  }

  /**
   * The BM25 ranking as SQL (kind, doc_id, score; best first), for {@link #args}: {@code $1} to
   * {@code $4}, and {@code $5} the kind when {@code byKind}.
   */
  static String query(boolean byKind) {
    return byKind ? BM25_KIND : BM25_ALL;
  }

  /** The parameters of {@link #query} ({@code kind} null for all kinds). */
  static Tuple args(Selection terms, int limit, String kind) {
    Tuple args = Tuple.tuple().addValue(terms.lexemes().toArray(String[]::new))
        .addValue(terms.idf().toArray(Double[]::new)).addValue(terms.avgWords()).addValue(limit);
    if (kind != null) {
      args.addValue(kind);
    }
    return args;
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
