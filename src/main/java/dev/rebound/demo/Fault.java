package dev.rebound.demo;

import java.util.Arrays;
import java.util.Optional;

/**
 * The faults drills inject (knowledge/docs/demo-platform.md, "Faults"): what each breaks, the
 * alert it makes fire, and the bundled runbook that heals it. {@link Faults} injects them.
 */
public enum Fault {
  FEATURES_CORRUPT("features-corrupt",
      "ingest consumer silently stuck (not paused); 30% of feature_values set to null; every row's updated_at "
          + "set back 2 h, as if the consumer had been stuck that long",
      "FeatureStoreStale, FeatureNullRateHigh", "feature-store-restore"),
  FEATURES_STALLED("features-stalled",
      "ingest consumer silently stuck (not paused); every row's updated_at set back 2 h; values intact",
      "FeatureStoreStale", "feature-store-restore"),
  MODEL_ARTIFACT_CORRUPT("model-artifact-corrupt",
      "ranker-v12.onnx overwritten with other bytes: its hash no longer matches the registry and lineage",
      "ModelChecksumMismatch", "model-rollback"),
  MODEL_DEGENERATE("model-degenerate", "ranker@12 returns a constant score",
      "ModelPredictionSanityFailed", "model-rollback"),
  SERVING_PRIMARY_DOWN("serving-primary-down", "serving primary answers 503 everywhere; its heartbeats stop",
      "ServingPrimaryDown", "serving-failover"),
  SERVING_PRIMARY_SLOW("serving-primary-slow", "serving primary adds 400 ms to every request",
      "ServingLatencyHigh", "serving-failover"),
  KB_DRIFT("kb-drift", "5 knowledge-base documents edited, 3 added, 2 marked deleted, no reindex",
      "RagIndexDrift", "rag-index-rebuild"),
  EMBEDDER_MISMATCH("embedder-mismatch", "the query embedder is set to bge-small-en-v1.5; the index is MiniLM",
      "EmbeddingModelMismatch, RagRetrievalScoreDrop", "embedding-model-mismatch"),
  PARTITION_CORRUPT("partition-corrupt",
      "the events partition of 3 days ago reloaded with half its rows and purchase amounts x 100; its catalog "
          + "row_count updated to match (consistent, but not the manifest's)",
      "PipelineRowCountMismatch", "pipeline-backfill"),
  DATASET_CORRUPT("dataset-corrupt",
      "ranker-training/current repointed to versions/bad-build, whose part-00001.csv is truncated (manifest unchanged)",
      "TrainingDatasetChecksumMismatch", "training-dataset-restore");

  private final String id;
  private final String effect;
  private final String alert;
  private final String healedBy;

  Fault(String id, String effect, String alert, String healedBy) {
    this.id = id;
    this.effect = effect;
    this.alert = alert;
    this.healedBy = healedBy;
  }

  /** The name in the contract, drills and {@code POST /demo/faults/{name}}. */
  public String id() {
    return id;
  }

  public String effect() {
    return effect;
  }

  /** The alert(s) the fault makes fire. */
  public String alert() {
    return alert;
  }

  /** The id of the bundled runbook that heals it. */
  public String healedBy() {
    return healedBy;
  }

  public static Optional<Fault> byId(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
  }
}
