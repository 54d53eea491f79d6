package dev.rebound.retrieval;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the index in step with a corpus, keyed by content hash: new documents are added,
 * changed ones replaced, unchanged ones cost nothing, documents gone from the corpus removed.
 *
 * <p>Order of work in one run, all on one connection that holds an advisory lock (so two
 * replicas starting together index once, the second finds everything unchanged):
 * <ol>
 *   <li>check the recorded model: none yet → record this embedder's; another model → fail with
 *       {@link ReindexRequiredException} unless {@code reindex}, which empties the index first;
 *   <li>compare hashes; embed what changed in batches of about {@link #BATCH_CHUNKS} chunks on a
 *       worker thread, storing each batch in its own transaction while the next one embeds (into
 *       an empty index, at least {@link #BULK_CHUNKS} chunks: without the HNSW index, built once
 *       at the end);
 *   <li>remove documents no longer in the corpus (full runs only, never in {@link #upsert});
 *   <li>bring the term statistics the text search weighs words by up to date: each batch logs,
 *       in its own transaction, how many documents it added or removed per word, and the run
 *       adds that log to the counts at the end. A run that changes at least a
 *       1/{@link #RECOUNT_SHARE} of the index (any load into an empty one) logs nothing and
 *       recounts every word once at the end instead.
 * </ol>
 * A run that fails half-way leaves the batches stored so far, with their log (or the recount
 * still to do); the next run continues from there and applies it, even if it finds nothing else
 * to change.
 * Returns futures; the embedding never runs on an event loop.
 */
public final class Indexer {
  static final int BATCH_CHUNKS = 128;
  /** At least this many chunks into an empty index: build the HNSW index after loading them. */
  static final int BULK_CHUNKS = 200;
  /**
   * A run changing at least 1/this of the index's documents recounts the term statistics in full.
   * At 25k documents the recount took 1.2-1.6 s; a replaced document's lexemes cost about 0.3 ms
   * to log (old and new) and 0.15 ms to add at the end, so about 3,000 cost as much.
   */
  static final int RECOUNT_SHARE = 8;
  private static final float[] NOT_YET = new float[0];

  private final Vertx vertx;
  private final Pool pool;
  private final Embedder embedder;
  private final Chunker chunker = new Chunker();

  public Indexer(Vertx vertx, Pool pool, Embedder embedder) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedder = embedder;
  }

  public Embedder embedder() {
    return embedder;
  }

  /** Makes the index equal to {@code corpus}. {@code reindex} rebuilds from scratch (and adopts this model). */
  public Future<IndexReport> index(List<Document> corpus, boolean reindex, IndexProgress progress) {
    return run(corpus, reindex, true, progress);
  }

  /** Adds or replaces these documents only (e.g. an incident reported through the API). */
  public Future<IndexReport> upsert(List<Document> documents) {
    return run(documents, false, false, IndexProgress.NONE);
  }

  /**
   * Like {@link #upsert}, unless another index run holds the index (the start-up indexing, or a
   * replica's): then nothing is done and the answer, empty, comes at once instead of after that run.
   */
  public Future<Optional<IndexReport>> upsertIfIdle(List<Document> documents) {
    return pool.getConnection().compose(conn -> conn.query(PgIndexStore.TRY_LOCK).execute()
        .compose(rows -> {
          if (!rows.iterator().next().getBoolean(0)) {
            return conn.close().map(Optional.<IndexReport>empty());
          }
          return vertx.executeBlocking(embedder::dimension, false)
              .compose(dimension -> locked(conn, documents, false, false, IndexProgress.NONE, dimension))
              .map(Optional::of)
              .eventually(() -> conn.query(PgIndexStore.UNLOCK).execute().eventually(conn::close));
        }));
  }

  private Future<IndexReport> run(List<Document> corpus, boolean reindex, boolean removeMissing, IndexProgress progress) {
    // The dimension of a remote model is probed by a request: not on the event loop.
    return vertx.executeBlocking(embedder::dimension, false).compose(dimension -> pool.getConnection().compose(conn ->
        conn.query(PgIndexStore.LOCK).execute()
            .compose(locked -> locked(conn, corpus, reindex, removeMissing, progress, dimension))
            .eventually(() -> conn.query(PgIndexStore.UNLOCK).execute().eventually(conn::close))));
  }

  /** The index run proper, on {@code conn}, which holds the index lock. */
  private Future<IndexReport> locked(SqlConnection conn, List<Document> corpus, boolean reindex, boolean removeMissing,
      IndexProgress progress, int dimension) {
    long started = System.nanoTime();
    return prepare(conn, reindex, dimension)
        .compose(v -> ensureVectorIndex(conn, dimension))
        .compose(v -> removeMissing
            ? PgIndexStore.hashes(conn).compose(all -> apply(conn, corpus, all, all.size(), true, progress, dimension))
            // Only these documents' hashes: at 25k documents reading all of them took ~25 ms of an upsert.
            : PgIndexStore.hashes(conn, corpus.stream().map(Document::key).toList()).compose(some ->
                PgIndexStore.documents(conn).compose(documents ->
                    apply(conn, corpus, some, documents, false, progress, dimension))))
        .map(counts -> new IndexReport(counts[0], counts[1], counts[2], counts[3], counts[4],
            Duration.ofNanos(System.nanoTime() - started), embedder.model(), dimension));
  }

  private Future<Void> prepare(SqlConnection conn, boolean reindex, int dimension) {
    return PgIndexStore.meta(conn).compose(meta -> {
      if (meta.isPresent() && meta.get().matches(embedder) && !reindex) {
        return Future.succeededFuture();
      }
      if (meta.isPresent() && !meta.get().matches(embedder) && !reindex) {
        return Future.failedFuture(new ReindexRequiredException(meta.get(), embedder));
      }
      return PgIndexStore.columnDimension(conn).compose(current -> conn.begin().compose(tx ->
          PgIndexStore.reset(conn, embedder.model(), dimension, current)
              .compose(v -> tx.commit())
              .recover(e -> tx.rollback().transform(r -> Future.failedFuture(e)))));
    });
  }

  /**
   * Returns {added, updated, unchanged, removed, embeddedChunks}. {@code indexed} holds the hashes
   * of the corpus' documents that are indexed (of all when {@code removeMissing}); {@code documents}
   * is how many the index holds.
   */
  private Future<int[]> apply(SqlConnection conn, List<Document> corpus, Map<DocKey, String> indexed, int documents,
      boolean removeMissing, IndexProgress progress, int dimension) {
    Map<DocKey, Document> byKey = new LinkedHashMap<>();
    corpus.forEach(d -> byKey.putIfAbsent(d.key(), d));
    int[] counts = new int[5];
    List<Pending> pending = new ArrayList<>();
    for (Document doc : byKey.values()) {
      String hash = doc.contentHash(Chunker.VERSION);
      String old = indexed.get(doc.key());
      if (hash.equals(old)) {
        counts[2]++;
        continue;
      }
      counts[old == null ? 0 : 1]++;
      pending.add(new Pending(doc, hash, chunker.chunks(doc)));
    }
    List<DocKey> gone = removeMissing
        ? indexed.keySet().stream().filter(k -> !byKey.containsKey(k)).toList()
        : List.of();
    counts[3] = gone.size();
    List<List<Pending>> batches = batches(pending);
    Map<String, float[]> repeated = repeatedTexts(pending);
    int chunks = pending.stream().mapToInt(p -> p.chunks().size()).sum();
    // Into an empty index, many chunks: load them without the HNSW index and build it once at the
    // end (one build is several times cheaper than maintaining the graph row by row). A run that
    // fails in between leaves no index: the next run creates it first (ensureVectorIndex).
    boolean bulk = documents == 0 && chunks >= BULK_CHUNKS;
    int changes = pending.size() + gone.size();
    Future<Void> prepared = changes > 0 && changes * RECOUNT_SHARE >= documents
        ? PgIndexStore.recountLater(conn) : Future.succeededFuture();
    Future<List<float[]>> first = batches.isEmpty() ? null : embed(batches.get(0), repeated);
    Future<Void> stored = batches.isEmpty()
        ? prepared
        : prepared.compose(v -> bulk ? conn.query(VectorIndex.DROP).execute().<Void>mapEmpty() : Future.<Void>succeededFuture())
            .compose(v -> storeFrom(conn, batches, 0, first, repeated, new int[] {0, 0}, pending.size(), progress))
            .compose(v -> bulk ? ensureVectorIndex(conn, dimension) : Future.<Void>succeededFuture());
    return stored
        .compose(v -> PgIndexStore.remove(conn, gone))
        .compose(v -> PgIndexStore.touch(conn, counts[0] + counts[1] + counts[3] > 0))
        .map(v -> {
          counts[4] = pending.stream().mapToInt(p -> p.chunks().size()).sum();
          return counts;
        });
  }

  /**
   * Recounts the term statistics over the whole index, as after a load into an empty one: for
   * rows written around the indexer (the scale benchmark's filler), and the baseline of
   * {@code bench upsert}.
   */
  public Future<Void> recountTerms() {
    return pool.getConnection().compose(conn -> conn.query(PgIndexStore.LOCK).execute()
        .compose(locked -> PgIndexStore.recountLater(conn))
        .compose(v -> PgIndexStore.touch(conn, true))
        .eventually(() -> conn.query(PgIndexStore.UNLOCK).execute().eventually(conn::close)))
        .mapEmpty();
  }

  private static Future<Void> ensureVectorIndex(SqlConnection conn, int dimension) {
    return conn.query(VectorIndex.createIfMissing(dimension)).execute().mapEmpty();
  }

  /** Stores batch {@code i} (already embedding) while batch {@code i + 1} embeds. */
  private Future<Void> storeFrom(SqlConnection conn, List<List<Pending>> batches, int i, Future<List<float[]>> vectors,
      Map<String, float[]> repeated, int[] done, int total, IndexProgress progress) {
    return vectors.compose(v -> {
      Future<List<float[]>> next = i + 1 < batches.size() ? embed(batches.get(i + 1), repeated) : null;
      List<Pending> batch = batches.get(i);
      return conn.begin().compose(tx -> storeBatch(conn, batch, v)
              .compose(x -> tx.commit())
              .recover(e -> tx.rollback().transform(r -> Future.failedFuture(e))))
          .compose(x -> {
            done[0] += batch.size();
            done[1] += batch.stream().mapToInt(p -> p.chunks().size()).sum();
            progress.batchStored(done[0], total, done[1]);
            return next == null ? Future.succeededFuture()
                : storeFrom(conn, batches, i + 1, next, repeated, done, total, progress);
          });
    });
  }

  private static Future<Void> storeBatch(SqlConnection conn, List<Pending> batch, List<float[]> vectors) {
    List<PgIndexStore.Entry> entries = new ArrayList<>(batch.size());
    int offset = 0;
    for (Pending p : batch) {
      entries.add(new PgIndexStore.Entry(p.doc(), p.hash(), p.chunks(),
          vectors.subList(offset, offset + p.chunks().size())));
      offset += p.chunks().size();
    }
    return PgIndexStore.put(conn, entries);
  }

  /**
   * One vector per chunk of the batch, in order. A text that occurs more than once in the run
   * (boilerplate sections, a heading repeated with the same words) is embedded once: its vector
   * is kept in {@code repeated} for the later batches. Batches embed one after the other.
   */
  private Future<List<float[]>> embed(List<Pending> batch, Map<String, float[]> repeated) {
    List<String> texts = new ArrayList<>();
    batch.forEach(p -> p.chunks().forEach(c -> texts.add(c.embedText())));
    List<String> missing = texts.stream().distinct().filter(t -> repeated.getOrDefault(t, NOT_YET) == NOT_YET).toList();
    return vertx.executeBlocking(() -> {
      List<float[]> vectors = embedder.embed(missing);
      Map<String, float[]> byText = new HashMap<>();
      for (int i = 0; i < missing.size(); i++) {
        byText.put(missing.get(i), vectors.get(i));
        repeated.computeIfPresent(missing.get(i), (t, none) -> byText.get(t));
      }
      return texts.stream().map(t -> byText.containsKey(t) ? byText.get(t) : repeated.get(t)).toList();
    }, false);
  }

  /** The texts that occur more than once among the chunks to embed, each mapped to an empty vector until embedded. */
  private static Map<String, float[]> repeatedTexts(List<Pending> pending) {
    Map<String, Integer> counts = new HashMap<>();
    pending.forEach(p -> p.chunks().forEach(c -> counts.merge(c.embedText(), 1, Integer::sum)));
    Map<String, float[]> repeated = new java.util.concurrent.ConcurrentHashMap<>();
    counts.forEach((text, n) -> {
      if (n > 1) {
        repeated.put(text, NOT_YET);
      }
    });
    return repeated;
  }

  private static List<List<Pending>> batches(List<Pending> pending) {
    List<List<Pending>> out = new ArrayList<>();
    List<Pending> current = new ArrayList<>();
    int chunks = 0;
    for (Pending p : pending) {
      if (!current.isEmpty() && chunks + p.chunks().size() > BATCH_CHUNKS) {
        out.add(current);
        current = new ArrayList<>();
        chunks = 0;
      }
      current.add(p);
      chunks += p.chunks().size();
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** The documents in {@code corpus} whose hash differs from the index, and those gone from it. */
  public Future<Staleness> staleness(List<Document> corpus) {
    return PgIndexStore.meta(pool).compose(meta -> PgIndexStore.hashes(pool).map(indexed -> {
      List<DocKey> added = new ArrayList<>();
      List<DocKey> changed = new ArrayList<>();
      Set<DocKey> present = new java.util.HashSet<>();
      for (Document doc : corpus) {
        present.add(doc.key());
        String old = indexed.get(doc.key());
        if (old == null) {
          added.add(doc.key());
        } else if (!old.equals(doc.contentHash(Chunker.VERSION))) {
          changed.add(doc.key());
        }
      }
      List<DocKey> removed = indexed.keySet().stream().filter(k -> !present.contains(k)).sorted(
          java.util.Comparator.comparing(DocKey::toString)).toList();
      Optional<String> mismatch = meta.filter(m -> !m.model().equals(embedder.model()))
          .map(m -> new ReindexRequiredException(m, embedder).getMessage());
      return new Staleness(meta, added, changed, removed, indexed.size(), mismatch);
    }));
  }

  private record Pending(Document doc, String hash, List<Chunk> chunks) {}
}
