package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Injects the contract's faults into a running {@link DemoPlatform}. Each method breaks exactly
 * what its {@link Fault} says, produces its alert's symptom, and is healed by the named bundled
 * runbook; {@link #reset()} puts the whole platform back to its seed state. Methods may be called
 * from any thread: the work runs on the platform's event loop, and each returned future completes
 * when the fault is in place (detection still takes the platform's next integrity pass, health
 * poll or request, as in production).
 */
public final class Faults {
  /** Documents the kb-drift fault edits and deletes. */
  static final List<String> EDITED_DOCS = List.of("kb-003", "kb-011", "kb-019", "kb-027", "kb-035");
  static final List<String> DELETED_DOCS = List.of("kb-042", "kb-050");
  /** The partition-corrupt fault hits the partition of this many days ago. */
  static final int CORRUPT_PARTITION_DAYS_AGO = 3;

  private final DemoPlatform platform;
  private final Set<Fault> active = Collections.synchronizedSet(EnumSet.noneOf(Fault.class));
  private final Random random = new Random();

  Faults(DemoPlatform platform) {
    this.platform = platform;
  }

  /** Faults injected since the last reset. */
  public Set<Fault> active() {
    synchronized (active) {
      return Set.copyOf(active);
    }
  }

  void forgetAll() {
    active.clear();
  }

  public Future<Void> inject(Fault fault) {
    return switch (fault) {
      case FEATURES_CORRUPT -> corruptFeatures();
      case FEATURES_STALLED -> stallIngestion();
      case MODEL_ARTIFACT_CORRUPT -> corruptModelArtifact();
      case MODEL_DEGENERATE -> degenerateModel();
      case SERVING_PRIMARY_DOWN -> takePrimaryDown();
      case SERVING_PRIMARY_SLOW -> slowPrimary();
      case KB_DRIFT -> driftKnowledgeBase();
      case EMBEDDER_MISMATCH -> mismatchEmbedder();
      case PARTITION_CORRUPT -> corruptPartition();
      case DATASET_CORRUPT -> corruptDataset();
    };
  }

  /** Everything back to the seed state (data, files, in-memory faults); see {@link DemoPlatform#reset()}. */
  public Future<Void> reset() {
    return platform.reset();
  }

  /**
   * {@code features-corrupt}: the ingest consumer is stuck without being paused, 30% of the online
   * values are null and every row looks 2 hours old. Fires FeatureStoreStale (newest
   * {@code updated_at} over 5 minutes) and FeatureNullRateHigh (over 2%); the ranker canary turns
   * insane (missing features). Heals with feature-store-restore from the last snapshot before it.
   */
  public Future<Void> corruptFeatures() {
    return features(Fault.FEATURES_CORRUPT, true);
  }

  /**
   * {@code features-stalled}: the consumer is stuck without being paused and every row looks 2
   * hours old; values intact. Fires FeatureStoreStale. Heals with feature-store-restore (its resume
   * step clears a stuck consumer and the replay brings the store up to date).
   */
  public Future<Void> stallIngestion() {
    return features(Fault.FEATURES_STALLED, false);
  }

  private Future<Void> features(Fault fault, boolean nulls) {
    return platform.onContext(() -> {
      platform.featureStore().stick();
      // Under the ingest lock, so no tick in flight overwrites the damage.
      return platform.pool().withTransaction(conn -> conn
          .query("select 1 from demo_features.ingest_state where id = 1 for update").execute()
          .compose(x -> nulls ? conn.query("""
                  update demo_features.feature_values set value = null
                  where abs(hashtext(entity_id || '/' || feature_name)) % 100 < 30""").execute()
              : Future.succeededFuture())
          .compose(x -> conn.query("update demo_features.feature_values set updated_at = now() - interval '2 hours'")
              .execute())
          .<Void>mapEmpty());
    }).onSuccess(x -> active.add(fault));
  }

  /**
   * {@code model-artifact-corrupt}: ranker-v12.onnx is overwritten. At the next integrity pass both
   * serving instances report {@code integrity: false}, health {@code degraded}, canary
   * {@code sane: false}: ModelChecksumMismatch. Heals with model-rollback to 11.
   */
  public Future<Void> corruptModelArtifact() {
    Path file = platform.settings().modelsDir().resolve(DemoFiles.modelFileName("ranker", 12));
    return platform.onContext(() -> platform.vertx().executeBlocking(() -> {
      Files.write(file, "REBOUND-DEMO-MODEL name=ranker version=12 (overwritten by a partial upload)\n"
          .getBytes(StandardCharsets.US_ASCII));
      return null;
    })).<Void>mapEmpty().onSuccess(x -> active.add(Fault.MODEL_ARTIFACT_CORRUPT));
  }

  /**
   * {@code model-degenerate}: ranker@12 scores every request 0.5, on both instances. The canary's
   * spread collapses ({@code sane: false}): ModelPredictionSanityFailed. Heals with model-rollback
   * to 11.
   */
  public Future<Void> degenerateModel() {
    return platform.onContext(() -> {
      platform.degenerate().add(Registry.ref("ranker", 12));
      return Future.<Void>succeededFuture();
    }).onSuccess(x -> active.add(Fault.MODEL_DEGENERATE));
  }

  /**
   * {@code serving-primary-down}: the primary answers 503 everywhere and stops its heartbeats; the
   * gateway, which sends it all traffic, goes down: ServingPrimaryDown. Heals with serving-failover.
   */
  public Future<Void> takePrimaryDown() {
    return platform.onContext(() -> {
      platform.primary().takeDown();
      return Future.<Void>succeededFuture();
    }).onSuccess(x -> active.add(Fault.SERVING_PRIMARY_DOWN));
  }

  /**
   * {@code serving-primary-slow}: the primary adds 400 ms to every request; the gateway's p95 over
   * the primary passes 250 ms: ServingLatencyHigh. Heals with serving-failover.
   */
  public Future<Void> slowPrimary() {
    return platform.onContext(() -> {
      platform.primary().slowDown();
      return Future.<Void>succeededFuture();
    }).onSuccess(x -> active.add(Fault.SERVING_PRIMARY_SLOW));
  }

  /** Clears the serving faults (primary down or slow, degenerate model) without a full reset. */
  public Future<Void> repairServing() {
    return platform.onContext(() -> {
      platform.primary().repair();
      platform.degenerate().clear();
      active.removeAll(Set.of(Fault.SERVING_PRIMARY_DOWN, Fault.SERVING_PRIMARY_SLOW, Fault.MODEL_DEGENERATE));
      return Future.<Void>succeededFuture();
    });
  }

  /**
   * {@code kb-drift}: five source documents get new content (and hash), three are added, two are
   * marked deleted, and nothing reindexes: RagIndexDrift. Heals with rag-index-rebuild.
   */
  public Future<Void> driftKnowledgeBase() {
    LocalDate today = Times.today();
    return platform.onContext(() -> platform.pool().withTransaction(conn -> {
      Future<?> chain = Future.succeededFuture();
      for (String docId : EDITED_DOCS) {
        chain = chain.compose(x -> conn.preparedQuery("select content from demo_rag.source_documents where doc_id = $1")
            .execute(Tuple.of(docId))
            .compose(rows -> {
              String content = rows.iterator().next().getString("content") + "\n\nRevised " + today + " (" + docId
                  + "): record the incident id in every run's reason, and link the run from the incident channel.";
              return conn.preparedQuery("""
                      update demo_rag.source_documents set content = $2, content_sha256 = $3, updated_at = now()
                      where doc_id = $1""").execute(Tuple.of(docId, content, KnowledgeBase.sha256(content)));
            }));
      }
      for (KnowledgeBase.Article a : platform.knowledgeBase().added()) {
        chain = chain.compose(x -> conn.preparedQuery("""
                insert into demo_rag.source_documents (doc_id, title, content, content_sha256)
                values ($1, $2, $3, $4) on conflict (doc_id) do nothing""")
            .execute(Tuple.of(a.docId(), a.title(), a.content(), a.sha256())));
      }
      return chain.compose(x -> conn.preparedQuery("""
              update demo_rag.source_documents set deleted = true, updated_at = now() where doc_id = any($1)""")
          .execute(Tuple.of(DELETED_DOCS.toArray(new String[0])))).mapEmpty();
    })).<Void>mapEmpty().onSuccess(x -> active.add(Fault.KB_DRIFT));
  }

  /**
   * {@code embedder-mismatch}: queries are embedded with bge-small-en-v1.5 while the index is
   * MiniLM; same dimension, so nothing errors, scores just drop: EmbeddingModelMismatch,
   * RagRetrievalScoreDrop. Heals with embedding-model-mismatch.
   */
  public Future<Void> mismatchEmbedder() {
    return platform.onContext(() -> platform.pool().query("""
            update demo_rag.embedder_config set query_embedding_model = 'bge-small-en-v1.5', updated_at = now()
            where id = 1""").execute().<Void>mapEmpty())
        .onSuccess(x -> active.add(Fault.EMBEDDER_MISMATCH));
  }

  /**
   * {@code partition-corrupt}: the events partition of 3 days ago is reloaded by a (fake)
   * scheduled run from a corrupt drop: half its rows, purchase amounts x 100, catalog row_count
   * updated to match, so the catalog is consistent but differs from the landing manifest:
   * PipelineRowCountMismatch. Heals with pipeline-backfill for that day.
   */
  public Future<Void> corruptPartition() {
    LocalDate day = Times.today().minusDays(CORRUPT_PARTITION_DAYS_AGO);
    String job = "run-" + HexFormat.of().toHexDigits(random.nextInt());
    return platform.onContext(() -> platform.pool().withTransaction(conn -> conn
        .preparedQuery("""
            select 1 from demo_warehouse.partitions where table_name = 'events' and partition_date = $1 for update""")
        .execute(Tuple.of(day))
        // Half the rows by a hash of the id, not by its parity: ids run in steps of one per event,
        // so every purchase (each tenth event, n % 10 = 7) had an even id and none survived to
        // carry the x100 amounts; the drift check then saw the corruption only when no other
        // partition was loaded within its window, i.e. not between 00:00 and 02:00 UTC.
        .compose(x -> conn.preparedQuery("delete from demo_warehouse.events where event_date = $1"
            + " and (hashtext(event_id::text) & 1) = 0")
            .execute(Tuple.of(day)))
        .compose(x -> conn.preparedQuery("""
            update demo_warehouse.events set amount = amount * 100, loaded_at = now() where event_date = $1""")
            .execute(Tuple.of(day)))
        .compose(x -> conn.preparedQuery("""
            insert into demo_warehouse.pipeline_jobs
              (job_id, pipeline, kind, date_from, date_to, status, partitions_total, partitions_done, rows_written,
               started_at, finished_at)
            select $2, 'events-daily', 'scheduled', $1, $1, 'succeeded', 1, 1, count(*), now(), now()
            from demo_warehouse.events where event_date = $1""").execute(Tuple.of(day, job)))
        .compose(x -> conn.preparedQuery("""
            update demo_warehouse.partitions
            set row_count = (select count(*) from demo_warehouse.events where event_date = $1),
                loaded_at = now(), loaded_by_job = $2, updated_at = now()
            where table_name = 'events' and partition_date = $1""").execute(Tuple.of(day, job)))
        .mapEmpty()))
        .<Void>mapEmpty().onSuccess(x -> active.add(Fault.PARTITION_CORRUPT));
  }

  /**
   * {@code dataset-corrupt}: a bad build: {@code ranker-training/current} now points at
   * {@code versions/bad-build}, a copy whose part-00001.csv is cut in half while its manifest is
   * unchanged. The dataset-integrity endpoint reports {@code match: false}:
   * TrainingDatasetChecksumMismatch. Heals with training-dataset-restore snap-5e1f0c2a.
   */
  public Future<Void> corruptDataset() {
    Path root = platform.settings().datasetsDir().resolve("ranker-training");
    return platform.onContext(() -> platform.vertx().executeBlocking(() -> {
      try {
        Path live = root.resolve("current").toRealPath();
        Path bad = root.resolve("versions/bad-build");
        DemoFiles.deleteTree(bad);
        DemoFiles.copyDir(live, bad);
        Path part = bad.resolve("part-00001.csv");
        part.toFile().setWritable(true, true);
        byte[] bytes = Files.readAllBytes(part);
        Files.write(part, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        DemoFiles.pointCurrent(root, "versions/bad-build");
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    })).<Void>mapEmpty().onSuccess(x -> active.add(Fault.DATASET_CORRUPT));
  }
}
