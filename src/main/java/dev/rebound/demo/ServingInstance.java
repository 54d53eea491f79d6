package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One model-serving instance ({@code primary} or {@code standby}): the models it loaded from the
 * registry (version, sha256, last integrity result), predictions and the canary, heartbeats into
 * {@code demo_registry.serving_instances}, and the two instance faults: down (every route answers
 * 503, heartbeats stop) and slow (every request waits an extra delay). A load hashes the artifact
 * and swaps the model in one assignment, so requests in flight finish on the old one.
 * Event-loop only; hashing runs on a worker.
 */
final class ServingInstance {
  static final long SLOW_DELAY_MS = 400;

  /** A loaded model. {@code integrity} is the result of the last re-hash. */
  record Loaded(String model, int version, String sha256, String artifactPath, Instant loadedAt, boolean integrity) {
    String ref() {
      return Registry.ref(model, version);
    }
  }

  final String name;
  private final Vertx vertx;
  private final Pool pool;
  private final Registry registry;
  private final Set<String> degenerate;
  private final Map<String, Loaded> models = new TreeMap<>();
  private boolean down;
  private long extraLatencyMs;

  ServingInstance(String name, Vertx vertx, Pool pool, Registry registry, Set<String> degenerate) {
    this.name = name;
    this.vertx = vertx;
    this.pool = pool;
    this.registry = registry;
    this.degenerate = degenerate;
  }

  boolean down() {
    return down;
  }

  void takeDown() {
    down = true;
  }

  void slowDown() {
    extraLatencyMs = SLOW_DELAY_MS;
  }

  /** Clears both faults (the loaded models stay). */
  void repair() {
    down = false;
    extraLatencyMs = 0;
  }

  long extraLatencyMs() {
    return extraLatencyMs;
  }

  /** Forget everything and load the registry's current deployments (start-up, reset). */
  Future<Void> loadCurrent() {
    repair();
    models.clear();
    return pool.query("select model_name, version from demo_registry.current_deployments order by model_name")
        .execute()
        .compose(rows -> {
          Future<?> chain = Future.succeededFuture();
          for (Row r : rows) {
            String model = r.getString("model_name");
            int version = r.getInteger("version");
            chain = chain.compose(x -> load(model, version, "start-up"));
          }
          return chain.mapEmpty();
        });
  }

  /**
   * Loads a registered version: 404 unknown, 409 {@code version_bad}, 409 {@code
   * checksum_mismatch} (old model kept); loading the loaded, intact version is a no-op.
   */
  Future<JsonObject> load(String model, int version, String reason) {
    return registry.versionRow(model, version).compose(row -> {
      if ("bad".equals(row.getString("status"))) {
        throw DemoHttpException.conflict("version_bad", Registry.ref(model, version) + " is marked bad in the registry");
      }
      String recorded = row.getString("sha256");
      String path = row.getString("artifact_path");
      return vertx.executeBlocking(() -> DemoFiles.hash(registry.artifact(path))).compose(hash -> {
        if (hash == null || !hash.sha256().equals(recorded)) {
          throw new DemoHttpException(409, "checksum_mismatch", "artifact " + path + " has sha256 "
              + (hash == null ? "(missing file)" : hash.sha256()) + ", the registry records " + recorded
              + "; the loaded model is kept");
        }
        Loaded previous = models.get(model);
        Loaded now = previous != null && previous.version() == version && previous.integrity()
            ? previous
            : new Loaded(model, version, recorded, path, Instant.now(), true);
        models.put(model, now);
        return report(now).map(x -> new JsonObject()
            .put("instance", name)
            .put("model_name", model)
            .put("version", version)
            .put("ref", now.ref())
            .put("sha256", now.sha256())
            .put("previous_version", previous == null ? null : previous.version())
            .put("loaded_at", Times.iso(now.loadedAt())));
      });
    });
  }

  /** Runs {@code call} as this instance would: refused when down, delayed when slow. */
  <T> Future<T> gated(Supplier<Future<T>> call) {
    if (down) {
      return Future.failedFuture(new DemoHttpException(503, "unavailable", "serving " + name + " is down"));
    }
    if (extraLatencyMs > 0) {
      return vertx.timer(extraLatencyMs).compose(x -> call.get());
    }
    return call.get();
  }

  boolean healthy() {
    return models.values().stream().allMatch(Loaded::integrity);
  }

  JsonObject health() {
    JsonObject loaded = new JsonObject();
    models.values().forEach(m -> loaded.put(m.model(), new JsonObject()
        .put("version", m.version()).put("ref", m.ref()).put("integrity", m.integrity())));
    return new JsonObject().put("status", healthy() ? "ok" : "degraded").put("instance", name).put("models", loaded);
  }

  Loaded loaded(String model) {
    Loaded m = models.get(model);
    if (m == null) {
      throw DemoHttpException.notFound("model " + model + " on serving " + name);
    }
    return m;
  }

  JsonObject modelInfo(String model) {
    Loaded m = loaded(model);
    return new JsonObject()
        .put("instance", name)
        .put("model_name", model)
        .put("version", m.version())
        .put("ref", m.ref())
        .put("sha256", m.sha256())
        .put("loaded_at", Times.iso(m.loadedAt()))
        .put("integrity", m.integrity());
  }

  Future<JsonObject> predict(JsonObject request) {
    long start = System.nanoTime();
    String model = request.getString("model", "");
    String entity = request.getString("entity_id", "");
    Loaded m;
    try {
      m = loaded(model);
    } catch (DemoHttpException e) {
      return Future.failedFuture(DemoHttpException.invalid("model must be one of " + models.keySet()));
    }
    return features(List.of(entity)).map(byEntity -> {
      ModelScorer.Score score = ModelScorer.score(model, m.version(), byEntity.getOrDefault(entity, Map.of()),
          request, degenerate.contains(m.ref()));
      return new JsonObject()
          .put("instance", name)
          .put("model_name", model)
          .put("version", m.version())
          .put("ref", m.ref())
          .put("score", score.value())
          .put("features_missing", score.missing())
          .put("latency_ms", elapsedMs(start));
    });
  }

  /** Scores the 20 golden requests; {@code sane} per the contract's rule. */
  Future<JsonObject> canary(String model) {
    long start = System.nanoTime();
    Loaded m = loaded(model);
    List<JsonObject> golden = ModelScorer.golden(model);
    List<String> entities = golden.stream().map(g -> g.getString("entity_id")).toList();
    return features(entities).map(byEntity -> {
      int passed = 0;
      int withMissing = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      boolean allValid = true;
      for (JsonObject request : golden) {
        ModelScorer.Score s = ModelScorer.score(model, m.version(),
            byEntity.getOrDefault(request.getString("entity_id"), Map.of()), request, degenerate.contains(m.ref()));
        boolean valid = Double.isFinite(s.value()) && s.value() >= 0 && s.value() <= 1;
        allValid &= valid;
        withMissing += s.missing() > 0 ? 1 : 0;
        passed += valid && s.missing() == 0 ? 1 : 0;
        min = Math.min(min, s.value());
        max = Math.max(max, s.value());
      }
      double missingRatio = withMissing / (double) golden.size();
      boolean sane = allValid && missingRatio <= 0.05 && max - min > 0.01 && m.integrity();
      return new JsonObject()
          .put("instance", name)
          .put("model_name", model)
          .put("version", m.version())
          .put("ref", m.ref())
          .put("golden_total", golden.size())
          .put("golden_passed", passed)
          .put("features_missing_ratio", missingRatio)
          .put("score_min", min)
          .put("score_max", max)
          .put("sane", sane)
          .put("latency_ms", elapsedMs(start));
    });
  }

  private Future<Map<String, Map<String, Double>>> features(List<String> entities) {
    return pool.preparedQuery("""
            select entity_id, feature_name, value from demo_features.feature_values where entity_id = any($1)""")
        .execute(Tuple.of(entities.toArray(new String[0])))
        .map(rows -> {
          Map<String, Map<String, Double>> out = new HashMap<>();
          for (Row r : rows) {
            out.computeIfAbsent(r.getString("entity_id"), k -> new HashMap<>())
                .put(r.getString("feature_name"), r.getDouble("value"));
          }
          return out;
        });
  }

  /** Heartbeat: every loaded model's row, {@code reported_at = now()}; nothing while down. */
  Future<Void> heartbeat() {
    if (down) {
      return Future.succeededFuture();
    }
    Future<?> chain = Future.succeededFuture();
    for (Loaded m : new ArrayList<>(models.values())) {
      chain = chain.compose(x -> report(m));
    }
    return chain.mapEmpty();
  }

  private Future<Void> report(Loaded m) {
    if (down) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("""
            insert into demo_registry.serving_instances (instance, model_name, version, sha256, loaded_at, reported_at)
            values ($1, $2, $3, $4, $5, now())
            on conflict (instance, model_name) do update
            set version = excluded.version, sha256 = excluded.sha256, loaded_at = excluded.loaded_at,
                reported_at = excluded.reported_at""")
        .execute(Tuple.of(name, m.model(), m.version(), m.sha256(),
            java.time.OffsetDateTime.ofInstant(m.loadedAt(), java.time.ZoneOffset.UTC)))
        .mapEmpty();
  }

  /** Re-hashes every loaded artifact; a mismatch turns {@code integrity} false (and back when fixed). */
  Future<Void> checkIntegrity() {
    List<Loaded> current = new ArrayList<>(models.values());
    return vertx.executeBlocking(() -> {
      Map<String, Loaded> checked = new HashMap<>();
      for (Loaded m : current) {
        DemoFiles.FileHash hash = DemoFiles.hash(registry.artifact(m.artifactPath()));
        boolean intact = hash != null && hash.sha256().equals(m.sha256());
        checked.put(m.model(), new Loaded(m.model(), m.version(), m.sha256(), m.artifactPath(), m.loadedAt(), intact));
      }
      return checked;
    }).map(checked -> {
      // A model swapped while hashing keeps its own state: only the version hashed is updated.
      checked.forEach((model, result) -> models.computeIfPresent(model,
          (k, m) -> m.version() == result.version() && m.loadedAt().equals(result.loadedAt()) ? result : m));
      return null;
    });
  }

  private static long elapsedMs(long startNanos) {
    return Math.max(0, (System.nanoTime() - startNanos) / 1_000_000);
  }
}
