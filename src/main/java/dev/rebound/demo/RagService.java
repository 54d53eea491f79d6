package dev.rebound.demo;

import dev.rebound.retrieval.Vectors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RAG answer service ({@code demo_rag}): answers from the index the alias {@code kb-live}
 * names, embedding the query with the configured query embedder; logs every answer's top score;
 * switches the alias and the query embedder; keeps the synthetic question traffic and the healthy
 * baseline. Index builds are {@link RagIndexer}'s. Event-loop only; embedding runs on a worker.
 */
final class RagService {
  static final String ALIAS = "kb-live";
  static final int BASELINE_ROWS = 2000;

  private static final String LIVE_SQL = """
      select a.index_name, i.status as index_status, i.embedding_model, i.doc_count,
             e.query_embedding_model,
             (select count(*) from demo_rag.source_documents where not deleted) as source_docs
      from demo_rag.embedder_config e
      left join demo_rag.aliases a on a.alias = $1
      left join demo_rag.indexes i on i.index_name = a.index_name
      where e.id = 1""";

  private final Vertx vertx;
  private final Pool pool;
  private final DemoEmbedders embedders;
  private final KnowledgeBase knowledge;
  private int nextQuestion;

  RagService(Vertx vertx, Pool pool, DemoEmbedders embedders, KnowledgeBase knowledge) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedders = embedders;
    this.knowledge = knowledge;
  }

  /** What serves now: the alias's index, its model, the query model. */
  private record Live(String indexName, String indexStatus, String indexModel, int docCount, String queryModel,
      long sourceDocs) {
    boolean up() {
      return indexName != null && "ready".equals(indexStatus);
    }

    boolean match() {
      return queryModel.equals(indexModel);
    }
  }

  private Future<Live> live() {
    return pool.preparedQuery(LIVE_SQL).execute(Tuple.of(ALIAS)).map(rows -> {
      Row r = rows.iterator().next();
      Integer docs = r.getInteger("doc_count");
      return new Live(r.getString("index_name"), r.getString("index_status"), r.getString("embedding_model"),
          docs == null ? 0 : docs, r.getString("query_embedding_model"), r.getLong("source_docs"));
    });
  }

  Future<Reply> health() {
    return live().map(l -> {
      String status = !l.up() ? "down" : l.match() ? "ok" : "degraded";
      JsonObject body = new JsonObject()
          .put("status", status)
          .put("alias", ALIAS)
          .put("index_name", l.indexName())
          .put("index_status", l.indexStatus())
          .put("index_embedding_model", l.indexModel())
          .put("query_embedding_model", l.queryModel())
          .put("embedders_match", l.indexModel() != null && l.match())
          .put("doc_count", l.docCount())
          .put("source_docs", l.sourceDocs());
      return new Reply(l.up() ? 200 : 503, body);
    });
  }

  /** Embeds the question, retrieves the best chunks of the live index, logs the top score. */
  Future<JsonObject> answer(String question) {
    long start = System.nanoTime();
    return live().compose(l -> {
      if (!l.up()) {
        throw new DemoHttpException(503, "unavailable", "alias " + ALIAS + " does not point at a ready index");
      }
      return vertx.executeBlocking(() -> Vectors.literal(embedders.embed(l.queryModel(), question)))
          .compose(vector -> pool.preparedQuery("""
                  select d.doc_id, d.content, s.title, 1 - (d.embedding <=> $2::vector) as score
                  from demo_rag.documents d
                  left join demo_rag.source_documents s on s.doc_id = d.doc_id
                  where d.index_name = $1
                  order by d.embedding <=> $2::vector
                  limit 5""").execute(Tuple.of(l.indexName(), vector)))
          .compose(rows -> {
            Map<String, JsonObject> sources = new LinkedHashMap<>();
            String best = "";
            double top = 0;
            for (Row r : rows) {
              double score = Math.round(r.getDouble("score") * 10000) / 10000.0;
              if (sources.isEmpty()) {
                best = r.getString("content");
                top = score;
              }
              if (sources.size() < 3 && !sources.containsKey(r.getString("doc_id"))) {
                sources.put(r.getString("doc_id"), new JsonObject().put("doc_id", r.getString("doc_id"))
                    .put("title", r.getString("title")).put("score", score));
              }
            }
            int latency = (int) ((System.nanoTime() - start) / 1_000_000);
            double topScore = top;
            String answer = best.length() > 400 ? best.substring(0, 400) + "…" : best;
            return pool.preparedQuery("""
                    insert into demo_rag.retrieval_log (index_name, query_embedding_model, top_score, latency_ms)
                    values ($1, $2, $3, $4)""")
                .execute(Tuple.of(l.indexName(), l.queryModel(), topScore, latency))
                .map(x -> new JsonObject()
                    .put("answer", answer)
                    .put("index_name", l.indexName())
                    .put("query_embedding_model", l.queryModel())
                    .put("top_score", topScore)
                    .put("sources", new JsonArray(new ArrayList<>(sources.values()))));
          });
    });
  }

  /** One question of the synthetic client, in round-robin order over the fixed list. */
  Future<Void> trafficTick() {
    List<String> questions = knowledge.questions();
    String q = questions.get(nextQuestion++ % questions.size());
    return answer(q).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  Future<JsonObject> alias(String alias) {
    return pool.preparedQuery("select alias, index_name, previous_index_name, switched_at from demo_rag.aliases where alias = $1")
        .execute(Tuple.of(alias)).map(rows -> {
          if (rows.size() == 0) {
            throw DemoHttpException.notFound("alias " + alias);
          }
          Row r = rows.iterator().next();
          return new JsonObject().put("alias", alias).put("index_name", r.getString("index_name"))
              .put("previous_index_name", r.getString("previous_index_name"))
              .put("switched_at", Times.iso(r.getOffsetDateTime("switched_at")));
        });
  }

  /** Atomically points {@code alias} at a ready index: 404 unknown index, 409 {@code index_not_ready}. */
  Future<JsonObject> switchAlias(String alias, String indexName) {
    return pool.withTransaction(conn -> conn
        .preparedQuery("select status from demo_rag.indexes where index_name = $1").execute(Tuple.of(indexName))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw DemoHttpException.notFound("index " + indexName);
          }
          String status = rows.iterator().next().getString("status");
          if (!"ready".equals(status)) {
            throw DemoHttpException.conflict("index_not_ready", "index " + indexName + " is " + status);
          }
          return conn.preparedQuery("select index_name from demo_rag.aliases where alias = $1 for update")
              .execute(Tuple.of(alias));
        })
        .compose(rows -> {
          String previous = rows.size() == 0 ? null : rows.iterator().next().getString("index_name");
          return conn.preparedQuery("""
                  insert into demo_rag.aliases (alias, index_name, switched_at, previous_index_name)
                  values ($1, $2, now(), $3)
                  on conflict (alias) do update set index_name = excluded.index_name,
                    switched_at = excluded.switched_at, previous_index_name = excluded.previous_index_name
                  returning switched_at""")
              .execute(Tuple.of(alias, indexName, previous))
              .map(r -> new JsonObject().put("alias", alias).put("index_name", indexName)
                  .put("previous_index_name", previous)
                  .put("switched_at", Times.iso(r.iterator().next().getOffsetDateTime("switched_at"))));
        }));
  }

  Future<JsonObject> setQueryEmbedder(String model) {
    if (!DemoEmbedders.MODELS.contains(model)) {
      return Future.failedFuture(DemoHttpException.invalid("query_embedding_model must be one of "
          + DemoEmbedders.MODELS));
    }
    return live().compose(before -> pool.preparedQuery("""
            update demo_rag.embedder_config set query_embedding_model = $1, updated_at = now() where id = 1""")
        .execute(Tuple.of(model))
        .map(x -> new JsonObject()
            .put("query_embedding_model", model)
            .put("previous_query_embedding_model", before.queryModel())
            .put("index_embedding_model", before.indexModel())
            .put("embedders_match", model.equals(before.indexModel()))));
  }

  /**
   * The healthy baseline: the question list run against the live index, as {@value #BASELINE_ROWS}
   * log rows spread over the previous 24 hours.
   */
  Future<Void> seedBaseline() {
    return live().compose(l -> vertx.executeBlocking(() -> {
      List<String> vectors = new ArrayList<>();
      for (float[] v : embedders.embed(l.queryModel(), knowledge.questions())) {
        vectors.add(Vectors.literal(v));
      }
      return vectors;
    }).compose(vectors -> {
      List<Future<Double>> scores = new ArrayList<>();
      for (String v : vectors) {
        scores.add(pool.preparedQuery("""
                select max(1 - (embedding <=> $2::vector)) as score from demo_rag.documents where index_name = $1""")
            .execute(Tuple.of(l.indexName(), v)).map(rows -> rows.iterator().next().getDouble("score")));
      }
      return Future.all(scores).compose(all -> {
        Double[] values = new Double[scores.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = Math.round(scores.get(i).result() * 10000) / 10000.0;
        }
        return pool.preparedQuery("""
                insert into demo_rag.retrieval_log (logged_at, index_name, query_embedding_model, top_score, latency_ms)
                select now() - interval '10 minutes' - g * interval '43 seconds', $1, $2,
                       ($3::float8[])[g % array_length($3::float8[], 1) + 1], 8 + g % 17
                from generate_series(1, $4) as g""")
            .execute(Tuple.of(l.indexName(), l.queryModel(), values, BASELINE_ROWS));
      });
    })).mapEmpty();
  }

  /**
   * Seed: the knowledge-base articles, the MiniLM query embedder, one ready index built now,
   * {@code kb-live} pointing at it, and the healthy baseline of retrieval scores.
   */
  Future<Void> seed(RagIndexer indexer) {
    List<Tuple> docs = new ArrayList<>();
    for (KnowledgeBase.Article a : knowledge.articles()) {
      docs.add(Tuple.of(a.docId(), a.title(), a.content(), a.sha256()));
    }
    return pool.preparedQuery("""
            insert into demo_rag.source_documents (doc_id, title, content, content_sha256) values ($1, $2, $3, $4)""")
        .executeBatch(docs)
        .compose(x -> pool.preparedQuery("insert into demo_rag.embedder_config (id, query_embedding_model) values (1, $1)")
            .execute(Tuple.of(DemoEmbedders.MINILM)))
        .compose(x -> indexer.newIndexName())
        .compose(name -> indexer.build(name, DemoEmbedders.MINILM, null).compose(x -> switchAlias(ALIAS, name)))
        .compose(x -> seedBaseline());
  }

  /** Hourly: indexes neither aliased nor among the three newest ready ones are retired. */
  Future<Void> retentionTick() {
    return pool.query("""
            with keep as (select index_name from demo_rag.aliases
                          union select index_name from (select index_name from demo_rag.indexes where status = 'ready'
                                                        order by ready_at desc limit 3) as newest),
                 retired as (update demo_rag.indexes set status = 'retired'
                             where status = 'ready' and index_name not in (select index_name from keep)
                             returning index_name)
            delete from demo_rag.documents where index_name in (select index_name from retired)""")
        .execute().mapEmpty();
  }

  void mount(DemoRouter routes) {
    routes.get("/rag/health", ctx -> health());
    routes.get("/rag/answer", ctx -> {
      String q = ctx.queryParams().get("q");
      if (q == null || q.isBlank()) {
        throw DemoHttpException.invalid("query parameter q is required");
      }
      return answer(q).map(Reply::ok);
    });
    routes.get("/rag/admin/aliases/:alias", ctx -> alias(ctx.pathParam("alias")).map(Reply::ok));
    routes.post("/rag/admin/aliases/:alias", ctx -> {
      JsonObject body = Bodies.json(ctx);
      return switchAlias(ctx.pathParam("alias"), Bodies.text(body, "index_name")).map(Reply::ok);
    });
    routes.post("/rag/admin/embedder", ctx -> {
      JsonObject body = Bodies.json(ctx);
      return setQueryEmbedder(Bodies.text(body, "query_embedding_model")).map(Reply::ok);
    });
  }
}
