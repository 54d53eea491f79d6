package dev.rebound.retrieval;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The index tables (V3__retrieval.sql, V6__retrieval_terms.sql, V12__retrieval_title_terms.sql) through the Vert.x SQL client. Stateless; every method
 * runs on whatever client it is given (a pool, or a connection inside a transaction).
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
    return client.query("select kind, doc_id, content_hash from retrieval_documents").execute().map(rows -> {
      Map<DocKey, String> out = new HashMap<>();
      for (Row r : rows) {
        out.put(new DocKey(DocKind.parse(r.getString(0)), r.getString(1)), r.getString(2));
      }
      return out;
    });
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
        .compose(v -> tx.query("truncate retrieval_documents, retrieval_chunks, retrieval_postings, retrieval_terms").execute()).mapEmpty();
    if (currentDimension != dimension) {
      // The HNSW index is bound to the column's type: drop, retype, recreate (instant on an empty table).
      cleared = cleared
          .compose(v -> tx.query("drop index if exists retrieval_chunks_embedding").execute())
          .compose(v -> tx.query("alter table retrieval_chunks alter column embedding type vector(" + dimension + ")").execute())
          .compose(v -> tx.query(VectorIndex.create(dimension)).execute())
          .mapEmpty();
    }
    return cleared.compose(v -> tx.preparedQuery("insert into retrieval_index (model, dimension) values ($1, $2)")
        .execute(Tuple.of(model, dimension))).mapEmpty();
  }

  /** Marks the index as changed now and refreshes the term statistics the query side uses. */
  static Future<Void> touch(SqlClient client) {
    return client.query("update retrieval_index set indexed_at = now(),"
            + " documents = (select count(*) from retrieval_documents),"
            + " avg_words = coalesce((select avg(words) from retrieval_documents), 0)").execute()
        .compose(v -> client.query("delete from retrieval_terms").execute())
        .compose(v -> client.query("insert into retrieval_terms (lexeme, ndoc)"
            + " select word, ndoc from ts_stat('select tsv from retrieval_documents')").execute())
        .mapEmpty();
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
