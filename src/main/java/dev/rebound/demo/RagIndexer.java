package dev.rebound.demo;

import dev.rebound.retrieval.Vectors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Builds physical RAG indexes side by side ({@code kb-YYYYMMDD-HHMMSS}, the UTC build start): every
 * non-deleted source document, split into chunks of at most {@value #CHUNK_CHARS} characters
 * without overlap, embedded, stored with the document's current {@code content_sha256}. Reindex
 * jobs run it in the background; the alias is switched separately. Event-loop only; embedding runs
 * on a worker.
 */
final class RagIndexer {
  static final int CHUNK_CHARS = 800;
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'kb-'yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final Pool pool;
  private final DemoEmbedders embedders;
  private final Epoch epoch;
  private final Random random = new Random();

  RagIndexer(Vertx vertx, Pool pool, DemoEmbedders embedders, Epoch epoch) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedders = embedders;
    this.epoch = epoch;
  }

  /** A free index name for a build starting now (the next second when two builds share one). */
  Future<String> newIndexName() {
    return pool.query("select index_name from demo_rag.indexes union select index_name from demo_rag.reindex_jobs")
        .execute().map(rows -> {
          List<String> taken = new ArrayList<>();
          rows.forEach(r -> taken.add(r.getString("index_name")));
          Instant at = Instant.now();
          String name = NAME.format(at);
          while (taken.contains(name)) {
            at = at.plusSeconds(1);
            name = NAME.format(at);
          }
          return name;
        });
  }

  /** 202: queues a full reindex; 409 {@code job_in_progress}, 422 unknown model. */
  Future<JsonObject> startReindex(String model) {
    if (!DemoEmbedders.MODELS.contains(model)) {
      return Future.failedFuture(DemoHttpException.invalid("embedding_model must be one of " + DemoEmbedders.MODELS));
    }
    String jobId = "rj-" + HexFormat.of().toHexDigits(random.nextInt());
    return pool.withTransaction(conn -> conn.query("lock table demo_rag.reindex_jobs in exclusive mode").execute()
            .compose(x -> conn.query("select count(*) as n from demo_rag.reindex_jobs where status in ('queued', 'running')")
                .execute())
            .compose(rows -> {
              if (rows.iterator().next().getLong("n") > 0) {
                throw DemoHttpException.conflict("job_in_progress", "a reindex job is already queued or running");
              }
              return newIndexName();
            })
            .compose(indexName -> conn.preparedQuery("""
                    insert into demo_rag.reindex_jobs (job_id, index_name, embedding_model, status, docs_total)
                    select $1, $2, $3, 'queued', count(*) from demo_rag.source_documents where not deleted
                    returning docs_total""")
                .execute(Tuple.of(jobId, indexName, model))
                .map(r -> new JsonObject().put("job_id", jobId).put("index_name", indexName)
                    .put("embedding_model", model).put("status", "queued")
                    .put("docs_total", r.iterator().next().getInteger("docs_total")))))
        .onSuccess(job -> runJob(jobId, job.getString("index_name"), model));
  }

  private void runJob(String jobId, String indexName, String model) {
    long started = epoch.current();
    pool.preparedQuery("update demo_rag.reindex_jobs set status = 'running', started_at = now() where job_id = $1")
        .execute(Tuple.of(jobId))
        .compose(x -> build(indexName, model, jobId))
        .compose(x -> epoch.check(started))
        .compose(x -> pool.preparedQuery("""
                update demo_rag.reindex_jobs set status = 'succeeded', docs_done = docs_total, finished_at = now()
                where job_id = $1""").execute(Tuple.of(jobId)))
        .recover(e -> !epoch.isCurrent(started) ? Future.succeededFuture() : pool.preparedQuery("""
                update demo_rag.reindex_jobs set status = 'failed', error = $2, finished_at = now() where job_id = $1""")
            .execute(Tuple.of(jobId, String.valueOf(e.getMessage())))
            .compose(x -> pool.preparedQuery("update demo_rag.indexes set status = 'failed' where index_name = $1")
                .execute(Tuple.of(indexName))));
  }

  Future<JsonObject> job(String jobId) {
    return pool.preparedQuery("""
            select job_id, index_name, embedding_model, status, docs_total, docs_done, error, created_at, started_at,
                   finished_at
            from demo_rag.reindex_jobs where job_id = $1""").execute(Tuple.of(jobId)).map(rows -> {
      if (rows.size() == 0) {
        throw DemoHttpException.notFound("job " + jobId);
      }
      Row r = rows.iterator().next();
      return new JsonObject()
          .put("job_id", jobId)
          .put("index_name", r.getString("index_name"))
          .put("embedding_model", r.getString("embedding_model"))
          .put("status", r.getString("status"))
          .put("docs_total", r.getInteger("docs_total"))
          .put("docs_done", r.getInteger("docs_done"))
          .put("error", r.getString("error"))
          .put("created_at", Times.iso(r.getOffsetDateTime("created_at")))
          .put("started_at", Times.iso(r.getOffsetDateTime("started_at")))
          .put("finished_at", Times.iso(r.getOffsetDateTime("finished_at")));
    });
  }

  private record Doc(String docId, String content, String sha256) {}

  private record Chunk(String docId, int chunkNo, String content, String sha256) {}

  /** Builds index {@code indexName} now: building → ready (or failed, via the caller). */
  Future<Void> build(String indexName, String model, String jobId) {
    return pool.preparedQuery("insert into demo_rag.indexes (index_name, embedding_model, status) values ($1, $2, 'building')")
        .execute(Tuple.of(indexName, model))
        .compose(x -> pool.query("""
                select doc_id, content, content_sha256 from demo_rag.source_documents
                where not deleted order by doc_id""").execute())
        .compose(rows -> {
          List<Doc> docs = new ArrayList<>();
          rows.forEach(r -> docs.add(new Doc(r.getString("doc_id"), r.getString("content"), r.getString("content_sha256"))));
          List<Chunk> chunks = new ArrayList<>();
          for (Doc d : docs) {
            List<String> parts = KnowledgeBase.chunks(d.content(), CHUNK_CHARS);
            for (int i = 0; i < parts.size(); i++) {
              chunks.add(new Chunk(d.docId(), i, parts.get(i), d.sha256()));
            }
          }
          long started = epoch.current();
          return vertx.executeBlocking(() -> embedders.embed(model, chunks.stream().map(Chunk::content).toList()))
              .compose(vectors -> epoch.check(started).map(x -> vectors))
              .compose(vectors -> {
                List<Tuple> batch = new ArrayList<>();
                for (int i = 0; i < chunks.size(); i++) {
                  Chunk c = chunks.get(i);
                  batch.add(Tuple.of(indexName, c.docId(), c.chunkNo(), c.content(), c.sha256(),
                      Vectors.literal(vectors.get(i))));
                }
                Future<?> insert = batch.isEmpty() ? Future.succeededFuture() : pool.preparedQuery("""
                        insert into demo_rag.documents (index_name, doc_id, chunk_no, content, content_sha256, embedding)
                        values ($1, $2, $3, $4, $5, $6::vector)""").executeBatch(batch);
                return insert.compose(x -> jobId == null ? Future.succeededFuture() : pool.preparedQuery(
                        "update demo_rag.reindex_jobs set docs_done = $2 where job_id = $1")
                    .execute(Tuple.of(jobId, docs.size())));
              })
              .compose(x -> pool.preparedQuery("""
                      update demo_rag.indexes set status = 'ready', doc_count = $2, chunk_count = $3, ready_at = now()
                      where index_name = $1""").execute(Tuple.of(indexName, docs.size(), chunks.size())));
        })
        .mapEmpty();
  }

  void mount(DemoRouter routes) {
    routes.post("/rag/admin/reindex", ctx -> {
      JsonObject body = Bodies.json(ctx);
      String model = Bodies.optionalText(body, "embedding_model").orElse(DemoEmbedders.MINILM);
      return startReindex(model).map(Reply::accepted);
    });
    routes.get("/rag/admin/jobs/:job_id", ctx -> job(ctx.pathParam("job_id")).map(Reply::ok));
  }
}
