package dev.rebound.retrieval;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The index tables (V3__retrieval.sql, V6__retrieval_terms.sql, V12__retrieval_title_terms_bm25.sql,
 * V23__retrieval_terms_log.sql) through the Vert.x SQL client. Stateless; every method runs on
 * whatever client it is given (a pool, or a connection inside a transaction). The postings, the log
 * of term changes and the document count and words are written by triggers on
 * retrieval_documents, so {@link #put} and {@link #remove} keep them with the documents, in the
 * caller's transaction.
 */
final class PgIndexStore {
  /** Serialises index runs across processes and replicas sharing the database. */
  static final String LOCK = "select pg_advisory_lock(hashtext('rebound.retrieval.index'))";
  /** Takes the same lock only if it is free (true), else answers false at once. */
  static final String TRY_LOCK = "select pg_try_advisory_lock(hashtext('rebound.retrieval.index'))";
  static final String UNLOCK = "select pg_advisory_unlock(hashtext('rebound.retrieval.index'))";

  private PgIndexStore() {}

  static Future<Optional<IndexMeta>> meta(SqlClient client) {
    return client.query("select model, dimension, indexed_at from retrieval_index").execute().map(rows -> {
      for (Row r : rows) {
        return Optional.of(new IndexMeta(r.getString(0), r.getInteger(1), r.getOffsetDateTime(2)));
      }
      return Optional.empty();
    });
  }

  /** The dimension the embedding column has now ({@code vector(N)}), or -1 when undeclared. */
  static Future<Integer> columnDimension(SqlClient client) {
    return client.query("select atttypmod from pg_attribute where attrelid = 'retrieval_chunks'::regclass"
            + " and attname = 'embedding'").execute()
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  static Future<Map<DocKey, String>> hashes(SqlClient client) {
    return client.query("select kind, doc_id, content_hash from retrieval_documents").execute().map(PgIndexStore::byKey);
  }

  /** The indexed hashes of these documents (those not indexed are absent). */
  static Future<Map<DocKey, String>> hashes(SqlClient client, List<DocKey> keys) {
    String[] kinds = keys.stream().map(k -> k.kind().wireName()).toArray(String[]::new);
    String[] ids = keys.stream().map(DocKey::id).toArray(String[]::new);
    return client.preparedQuery("select d.kind, d.doc_id, d.content_hash from retrieval_documents d"
            + " join unnest($1::text[], $2::text[]) as k(kind, doc_id) on d.kind = k.kind and d.doc_id = k.doc_id")
        .execute(Tuple.tuple().addValue(kinds).addValue(ids)).map(PgIndexStore::byKey);
  }

  private static Map<DocKey, String> byKey(RowSet<Row> rows) {
    Map<DocKey, String> out = new HashMap<>();
    for (Row r : rows) {
      out.put(new DocKey(DocKind.parse(r.getString(0)), r.getString(1)), r.getString(2));
    }
    return out;
  }

  /** How many documents the index holds (retrieval_index.documents, which the document triggers keep). */
  static Future<Integer> documents(SqlClient client) {
    return client.query("select documents from retrieval_index").execute()
        .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0));
  }

  static Future<Long> count(SqlClient client, String table) {
    return client.query("select count(*) from " + table).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Empties the index and sizes the embedding column for {@code dimension}, then records the
   * model. Run inside a transaction: a failure leaves the old index as it was.
   */
  static Future<Void> reset(SqlConnection tx, String model, int dimension, int currentDimension) {
    Future<Void> cleared = tx.query("delete from retrieval_index").execute()
        .compose(v -> tx.query("truncate retrieval_documents, retrieval_chunks, retrieval_postings, retrieval_terms,"
            + " retrieval_terms_log").execute()).mapEmpty();
    if (currentDimension != dimension) {
      // The HNSW index is bound to the column's type: drop, retype, recreate (instant on an empty table).
      cleared = cleared
          .compose(v -> tx.query(VectorIndex.DROP).execute())
          .compose(v -> tx.query("alter table retrieval_chunks alter column embedding type vector(" + dimension + ")").execute())
          .compose(v -> tx.query(VectorIndex.create(dimension)).execute())
          .mapEmpty();
    }
    return cleared.compose(v -> tx.preparedQuery("insert into retrieval_index (model, dimension) values ($1, $2)")
        .execute(Tuple.of(model, dimension))).mapEmpty();
  }

  /** What {@link #touch} did to the term statistics. */
  enum TermsWork {
    /** Nothing: nothing changed and nothing was left logged. */
    NONE,
    /** Added the logged changes of {@link TermsUpdate#lexemes} lexemes. */
    LOGGED,
    /** Recounted every lexeme ({@link TermsUpdate#lexemes} of them) from the postings. */
    RECOUNTED
  }

  record TermsUpdate(TermsWork work, int lexemes) {}

  /**
   * Flags the term statistics for a whole recount at the next {@link #touch}; until then the
   * document triggers log no lexemes (V23__retrieval_terms_log.sql). For a run that changes much of
   * the index: logging every lexeme of every document would cost more than one recount.
   */
  static Future<Void> recountLater(SqlClient client) {
    return client.query("update retrieval_index set terms_stale = true").execute().mapEmpty();
  }

  /**
   * At the end of an index run: brings the term statistics up to date (the logged changes added,
   * or everything recounted when flagged by {@link #recountLater}) and marks the index as changed
   * now. One transaction, so searches see the old statistics or the new, never none. (The
   * document count and mean length follow each batch, by trigger; the recount recounts them too.) Does nothing when {@code changed} is false and nothing is
   * logged or flagged; a run that died after committing batches left its log, so the next run
   * applies it even when it changes nothing.
   */
  static Future<TermsUpdate> touch(SqlConnection conn, boolean changed) {
    return conn.begin().compose(tx -> conn.query("select terms_stale, exists (select 1 from retrieval_terms_log)"
            + " from retrieval_index").execute()
        .compose(rows -> {
          Row state = rows.size() == 0 ? null : rows.iterator().next();
          if (state == null || !(changed || state.getBoolean(0) || state.getBoolean(1))) {
            return Future.succeededFuture(new TermsUpdate(TermsWork.NONE, 0));
          }
          return (state.getBoolean(0) ? recount(conn) : applyLog(conn))
              .compose(update -> conn.query("update retrieval_index set indexed_at = now()").execute().map(update));
        })
        .compose(update -> tx.commit().map(update))
        .recover(e -> tx.rollback().transform(r -> Future.failedFuture(e))));
  }

  /**
   * Every lexeme's ndoc counted from the postings (a lexeme's documents are its postings rows; as
   * fast as ts_stat over the documents at 25k documents, about 1.2 s), the log emptied, and the
   * document count and words counted again. Inside the caller's transaction.
   */
  private static Future<TermsUpdate> recount(SqlClient tx) {
    return tx.query("delete from retrieval_terms_log").execute()
        .compose(v -> tx.query("delete from retrieval_terms").execute())
        .compose(v -> tx.query("insert into retrieval_terms (lexeme, ndoc)"
            + " select lexeme, count(*) from retrieval_postings group by lexeme").execute())
        .compose(inserted -> tx.query("update retrieval_index set terms_stale = false,"
                + " documents = (select count(*) from retrieval_documents),"
                + " words = (select coalesce(sum(words), 0) from retrieval_documents),"
                + " avg_words = coalesce((select avg(words) from retrieval_documents), 0)").execute()
            .map(v -> new TermsUpdate(TermsWork.RECOUNTED, inserted.rowCount())));
  }

  /**
   * Adds the logged changes to retrieval_terms and empties the log, in one statement (so exactly
   * the rows read are deleted): a lexeme whose count falls to zero loses its row (below zero
   * would mean the counts had drifted; the row goes too rather than fail every later run).
   */
  private static Future<TermsUpdate> applyLog(SqlClient tx) {
    return tx.query("with logged as (delete from retrieval_terms_log returning lexeme, ndoc),"
            + " delta as (select lexeme, sum(ndoc) as ndoc from logged group by lexeme),"
            + " next as (select d.lexeme, coalesce(t.ndoc, 0) + d.ndoc as ndoc from delta d"
            + " left join retrieval_terms t on t.lexeme = d.lexeme where d.ndoc <> 0),"
            + " gone as (delete from retrieval_terms t using next n where t.lexeme = n.lexeme and n.ndoc <= 0),"
            + " kept as (insert into retrieval_terms (lexeme, ndoc) select lexeme, ndoc from next where ndoc > 0"
            + " on conflict (lexeme) do update set ndoc = excluded.ndoc)"
            + " select count(*)::integer from delta").execute()
        .map(rows -> new TermsUpdate(TermsWork.LOGGED, rows.iterator().next().getInteger(0)));
  }

  /** A document to store with its content hash, chunks and one vector per chunk. */
  record Entry(Document doc, String hash, List<Chunk> chunks, List<float[]> vectors) {}

  /**
   * Replaces these documents and their chunks (delete, the chunks cascade, then insert): three
   * statements for the whole batch, whatever its size, not three per document (each round trip
   * costs a wake-up of the backend and of the event loop; on a busy machine that was most of a
   * run's database time).
   */
  static Future<Void> put(SqlClient tx, List<Entry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    int docs = entries.size();
    String[] kinds = new String[docs];
    String[] ids = new String[docs];
    String[] titles = new String[docs];
    String[] sources = new String[docs];
    String[] hashes = new String[docs];
    String[] titleTerms = new String[docs];
    String[] keywordTerms = new String[docs];
    String[] bodyTerms = new String[docs];
    int chunks = entries.stream().mapToInt(e -> e.chunks().size()).sum();
    String[] chunkKinds = new String[chunks];
    String[] chunkIds = new String[chunks];
    Integer[] ords = new Integer[chunks];
    String[] headings = new String[chunks];
    String[] bodies = new String[chunks];
    String[] embeddings = new String[chunks];
    int c = 0;
    for (int d = 0; d < docs; d++) {
      Entry e = entries.get(d);
      Document doc = e.doc();
      kinds[d] = doc.kind().wireName();
      ids[d] = doc.id();
      titles[d] = doc.title();
      sources[d] = doc.source();
      hashes[d] = e.hash();
      titleTerms[d] = Terms.withIdentifierParts(doc.title());
      keywordTerms[d] = Terms.withIdentifierParts(doc.id() + "\n" + doc.keywords());
      bodyTerms[d] = Terms.withIdentifierParts(doc.bodyText());
      for (int i = 0; i < e.chunks().size(); i++, c++) {
        Chunk chunk = e.chunks().get(i);
        chunkKinds[c] = kinds[d];
        chunkIds[c] = ids[d];
        ords[c] = chunk.ord();
        headings[c] = chunk.heading();
        bodies[c] = chunk.body();
        embeddings[c] = Vectors.literal(e.vectors().get(i));
      }
    }
    return remove(tx, entries.stream().map(e -> e.doc().key()).toList())
        .compose(v -> tx.preparedQuery(
                "insert into retrieval_documents (kind, doc_id, title, source, content_hash, tsv, title_terms)"
                    + " select d.kind, d.doc_id, d.title, d.source, d.hash,"
                    + " setweight(to_tsvector('english', d.title_terms), 'A')"
                    + " || setweight(to_tsvector('english', d.keyword_terms), 'B')"
                    + " || setweight(to_tsvector('english', d.body_terms), 'C'),"
                    + " tsvector_to_array(to_tsvector('rebound_title', d.title_terms))"
                    + " from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],"
                    + " $8::text[]) as d(kind, doc_id, title, source, hash, title_terms, keyword_terms, body_terms)")
            .execute(Tuple.tuple(List.of(kinds, ids, titles, sources, hashes, titleTerms, keywordTerms, bodyTerms))))
        .compose(v -> tx.preparedQuery(
                "insert into retrieval_chunks (kind, doc_id, ord, heading, body, embedding, tsv)"
                    + " select t.kind, t.doc_id, t.ord, t.heading, t.body, t.emb::vector,"
                    + " to_tsvector('english', t.heading || ' ' || t.body)"
                    + " from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[])"
                    + " as t(kind, doc_id, ord, heading, body, emb)")
            .execute(Tuple.tuple(List.of(chunkKinds, chunkIds, ords, headings, bodies, embeddings))))
        .mapEmpty();
  }

  static Future<Void> remove(SqlClient client, Collection<DocKey> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] kinds = keys.stream().map(k -> k.kind().wireName()).toArray(String[]::new);
    String[] ids = keys.stream().map(DocKey::id).toArray(String[]::new);
    return client.preparedQuery("delete from retrieval_documents d using unnest($1::text[], $2::text[]) as k(kind, doc_id)"
            + " where d.kind = k.kind and d.doc_id = k.doc_id")
        .execute(Tuple.tuple().addValue(kinds).addValue(ids)).mapEmpty();
  }
}
