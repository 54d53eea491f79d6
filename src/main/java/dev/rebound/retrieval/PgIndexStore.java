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

  /** Replaces a document and its chunks (delete + insert; the chunks cascade). */
  static Future<Void> put(SqlClient tx, Document doc, String hash, List<Chunk> chunks, List<float[]> vectors) {
    Integer[] ords = new Integer[chunks.size()];
    String[] headings = new String[chunks.size()];
    String[] bodies = new String[chunks.size()];
    String[] embeddings = new String[chunks.size()];
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      ords[i] = c.ord();
      headings[i] = c.heading();
      bodies[i] = c.body();
      embeddings[i] = Vectors.literal(vectors.get(i));
    }
    String kind = doc.kind().wireName();
    return tx.preparedQuery("delete from retrieval_documents where kind = $1 and doc_id = $2")
        .execute(Tuple.of(kind, doc.id()))
        .compose(v -> tx.preparedQuery(
                "insert into retrieval_documents (kind, doc_id, title, source, content_hash, tsv, title_terms)"
                    + " values ($1, $2, $3, $4, $5,"
                    + " setweight(to_tsvector('english', $6), 'A') || setweight(to_tsvector('english', $7), 'B')"
                    + " || setweight(to_tsvector('english', $8), 'C'),"
                    + " tsvector_to_array(to_tsvector('rebound_title', $6)))")
            .execute(Tuple.tuple(List.of(kind, doc.id(), doc.title(), doc.source(), hash,
                Terms.withIdentifierParts(doc.title()),
                Terms.withIdentifierParts(doc.id() + "\n" + doc.keywords()),
                Terms.withIdentifierParts(doc.bodyText())))))
        .compose(v -> tx.preparedQuery(
                "insert into retrieval_chunks (kind, doc_id, ord, heading, body, embedding, tsv)"
                    + " select $1, $2, t.ord, t.heading, t.body, t.emb::vector,"
                    + " to_tsvector('english', t.heading || ' ' || t.body)"
                    + " from unnest($3::int[], $4::text[], $5::text[], $6::text[]) as t(ord, heading, body, emb)")
            .execute(Tuple.tuple().addValue(kind).addValue(doc.id()).addValue(ords).addValue(headings)
                .addValue(bodies).addValue(embeddings)))
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
