package dev.rebound.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.inventory.Asset;
import dev.rebound.inventory.Knowledge;
import dev.rebound.inventory.Lineage;
import dev.rebound.runbook.RunbookCatalog;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The demo platform against the contract: seed state, files, auth, idempotency, call counting, reset. */
class DemoPlatformIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @TempDir static Path dir;

  private static DemoFixture demo;

  @BeforeAll
  static void start() throws Exception {
    demo = DemoFixture.start(db, dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  @BeforeEach
  void seedState() {
    demo.platform.reset().await();
  }

  @Test
  void writtenFilesHashAsTheLineageInAssetsYamlRecords() throws Exception {
    RunbookCatalog catalog = RunbookCatalog.load(DemoFixture.REPO.resolve("runbooks"));
    Knowledge knowledge = Knowledge.load(DemoFixture.REPO.resolve("knowledge"), catalog.ids()).orElseThrow();
    int checked = 0;
    for (Asset asset : knowledge.assets().assets()) {
      Lineage.Artifact artifact = asset.lineage().findArtifact().orElse(null);
      if (artifact == null || artifact.sha256() == null) {
        continue;
      }
      Path file = dir.resolve(artifact.uri().replaceFirst("^file:", "")).normalize();
      assertThat(DemoFiles.hash(file)).as(asset.id()).isNotNull();
      assertThat(DemoFiles.hash(file).sha256()).as(asset.id() + " " + file).isEqualTo(artifact.sha256());
      checked++;
    }
    assertThat(checked).isEqualTo(5);
  }

  @Test
  void writtenFilesHaveTheContractsBytes() {
    Map<String, String> models = Map.of(
        "ranker-v10.onnx", "c82985854588615519acbaba802a362cb53ee427ed6a07ce9865a0bb2e2b93a3",
        "ranker-v11.onnx", "5b754d62a21adfbbf72756722450b34359dcc5a30611061c3ffc154ba780729d",
        "ranker-v12.onnx", "1f6cc03f4e104254e551d463c4a37e241703d23aba179b04e1c64a926db4c515",
        "fraud-v6.onnx", "6531d4de28fd080468be672448156db13c9ecbec6a828ab73c559e6eabcc88ea",
        "fraud-v7.onnx", "950054e5f8b53582379ebd8d4292dc08d5ad88ae5dfafc15c85e85adb42e0220",
        "all-minilm-l6-v2-v1.onnx", "682cf4f30e6654a0ce4dc7d1eccf7ab7913f8773cde191420e9cdca6ea7dca76",
        "bge-small-en-v1.5-v1.onnx", "ea4fbe90ea59a9a5968ee9983db62377d7fa907880ee10613bdd86b8520d42a1");
    models.forEach((name, sha) -> assertThat(sha256(dir.resolve("var/demo/models").resolve(name))).as(name).isEqualTo(sha));

    Path datasets = dir.resolve("var/demo/datasets");
    Map<String, String> files = Map.of(
        "ranker-training/snapshots/snap-2c9d4b17/MANIFEST.sha256", "698764fd81416f381d176bf3769b07629fc85a158d47c08b7b77ace8c835a0a8",
        "ranker-training/snapshots/snap-2c9d4b17/part-00000.csv", "5cc6d0855e384c59cb88e2dac105aecb77ddc028fc0826cfd9baee73894ebcbb",
        "ranker-training/snapshots/snap-2c9d4b17/part-00001.csv", "02731d9da747b8cbeaed6f68f2d10e932894d35e71cb563bd0cf3a60c78ffb6a",
        "ranker-training/snapshots/snap-5e1f0c2a/MANIFEST.sha256", "c6f9deb377e6fd1e89665856f18ce7406e4939ac8702747024c9e0b7fcad66ce",
        "ranker-training/snapshots/snap-5e1f0c2a/part-00000.csv", "5cc6d0855e384c59cb88e2dac105aecb77ddc028fc0826cfd9baee73894ebcbb",
        "ranker-training/snapshots/snap-5e1f0c2a/part-00001.csv", "34e5cbe24dbda99a67e29f1a95d459291e599ffcd4238ee7342fd3accf9ad5a5",
        "fraud-training/snapshots/snap-7a41e9d3/MANIFEST.sha256", "1f9046aeb33a8972aa1084670bceba956a392d3ae40a4c290108685fcfc6e3d2",
        "fraud-training/snapshots/snap-7a41e9d3/part-00000.csv", "b49bae9749d1307277f65dea859558abf57d0d419e5e73399b3acbe8f153f1f9",
        // The seed copies that `current` points at.
        "ranker-training/current/MANIFEST.sha256", "c6f9deb377e6fd1e89665856f18ce7406e4939ac8702747024c9e0b7fcad66ce",
        "fraud-training/current/MANIFEST.sha256", "1f9046aeb33a8972aa1084670bceba956a392d3ae40a4c290108685fcfc6e3d2");
    files.forEach((name, sha) -> assertThat(sha256(datasets.resolve(name))).as(name).isEqualTo(sha));
    assertThat(link(datasets.resolve("ranker-training/current"))).isEqualTo("versions/snap-5e1f0c2a-seed");
    assertThat(link(datasets.resolve("fraud-training/current"))).isEqualTo("versions/snap-7a41e9d3-seed");
  }

  @Test
  void tablesHoldTheSeedState() {
    assertThat(query("select string_agg(model_name || '@' || version || ':' || status, ',' order by model_name, version)"
        + " from demo_registry.model_versions"))
        .isEqualTo("fraud@6:approved,fraud@7:approved,ranker@10:approved,ranker@11:approved,ranker@12:approved");
    assertThat(query("select string_agg(model_name || '@' || version, ',' order by model_name)"
        + " from demo_registry.current_deployments")).isEqualTo("fraud@7,ranker@12");
    assertThat(query("select count(*) from demo_registry.serving_instances")).isEqualTo("4");
    assertThat(query("select count(*) || '/' || count(distinct entity_id) || '/' || count(value)"
        + " from demo_features.feature_values")).isEqualTo("4000/1000/4000");
    assertThat(query("select count(*) from demo_features.snapshots where verified and row_count = 4000")).isEqualTo("1");
    assertThat(query("select paused from demo_features.ingest_state")).isEqualTo("f");
    assertThat(query("select count(*) from demo_features.offline_features where computed_for = current_date - 1"))
        .isEqualTo("4000");
    assertThat(query("select count(*) from demo_warehouse.raw_events where event_date < current_date")).isEqualTo("70000");
    assertThat(query("select count(*) || '/' || min(partition_date) || '/' || max(partition_date)"
        + " from demo_warehouse.partitions where status = 'ready' and row_count = 2000"))
        .isEqualTo("35/" + today().minusDays(35) + "/" + today().minusDays(1));
    assertThat(query("select count(*) from demo_warehouse.landing_manifests where status = 'complete' and row_count = 2000"))
        .isEqualTo("35");
    assertThat(query("select count(*) from demo_warehouse.pipelines where not paused")).isEqualTo("3");
    assertThat(query("select string_agg(dataset || ':' || current_snapshot, ',' order by dataset) from demo_warehouse.datasets"))
        .isEqualTo("fraud-training:snap-7a41e9d3,ranker-training:snap-5e1f0c2a");
    assertThat(query("select count(*) from demo_warehouse.dataset_snapshots")).isEqualTo("3");
    assertThat(query("select count(*) from demo_rag.source_documents where not deleted")).isEqualTo("60");
    assertThat(query("select i.status || '/' || i.doc_count || '/' || i.embedding_model from demo_rag.aliases a"
        + " join demo_rag.indexes i using (index_name) where a.alias = 'kb-live'")).isEqualTo("ready/60/all-minilm-l6-v2");
    assertThat(Long.parseLong(query("select count(*) from demo_rag.retrieval_log"
        + " where logged_at < now() - interval '10 minutes'"))).isEqualTo(2000);
    assertThat(query("select query_embedding_model from demo_rag.embedder_config")).isEqualTo("all-minilm-l6-v2");
  }

  @Test
  void endpointsAnswerWithTheContractsShapes() throws Exception {
    JsonObject deployment = demo.get("/registry/models/ranker/deployment").json();
    assertThat(deployment.getString("ref")).isEqualTo("ranker@12");
    assertThat(deployment.getInteger("deployment_id")).isEqualTo(2);
    assertThat(deployment.getInteger("previous_version")).isEqualTo(11);
    JsonObject version = demo.get("/registry/models/ranker/versions/11").json();
    assertThat(version.getString("artifact_uri")).isEqualTo("file:./var/demo/models/ranker-v11.onnx");
    assertThat(version.getString("training_snapshot")).isEqualTo("snap-2c9d4b17");
    assertThat(demo.get("/registry/models/ranker/versions/11/integrity").json().getInteger("bytes")).isEqualTo(42);
    assertThat(demo.get("/registry/models/ranker/versions/99").status()).isEqualTo(404);
    assertThat(demo.get("/serving/health").json().getJsonObject("models").getJsonObject("fraud").getString("ref"))
        .isEqualTo("fraud@7");
    assertThat(demo.get("/serving-standby/canary?model=ranker").json().getBoolean("sane")).isTrue();
    assertThat(demo.get("/gateway/canary?model=fraud").json().getString("served_by")).isEqualTo("primary");
    JsonObject prediction = demo.post("/gateway/predict",
        new JsonObject().put("model", "fraud").put("entity_id", "u042").put("amount", 129.5)).json();
    assertThat(prediction.getDouble("score")).isBetween(0.0, 1.0);
    assertThat(demo.get("/rag/health").json().getBoolean("embedders_match")).isTrue();
    assertThat(demo.get("/rag/answer?q=how+do+I+roll+back+the+ranker").json().getJsonArray("sources")).isNotEmpty();
    assertThat(demo.get("/pipeline/admin/pipelines/ranker-retrain").json().getBoolean("paused")).isFalse();
    assertThat(demo.get("/pipeline/admin/datasets/ranker-training").json().getBoolean("match")).isTrue();
    assertThat(demo.get("/features/online/u007").json().getInteger("features_missing")).isZero();
    JsonObject missing = demo.get("/no/such/route").json();
    assertThat(missing.getString("error")).isEqualTo("not_found");
  }

  @Test
  void ingestionKeepsWritingFreshFeatureRows() {
    long before = Long.parseLong(query("select consumer_offset from demo_features.ingest_state"));
    await(() -> Long.parseLong(query("select consumer_offset from demo_features.ingest_state")) > before + 5);
    assertThat(query("select max(updated_at) > now() - interval '5 seconds' from demo_features.feature_values"))
        .isEqualTo("t");
  }

  @Test
  void pauseTakesEffectBeforeItsResponseAndResumeContinues() throws Exception {
    JsonObject paused = demo.admin("/features/admin/ingest/pause", new JsonObject().put("reason", "test")).json();
    long offset = Long.parseLong(query("select consumer_offset from demo_features.ingest_state"));
    assertThat(paused.getLong("consumer_offset")).isEqualTo(offset);
    RunbookDriver.sleep(Duration.ofSeconds(1)); // five ingest ticks
    assertThat(Long.parseLong(query("select consumer_offset from demo_features.ingest_state"))).isEqualTo(offset);
    assertThat(demo.get("/features/admin/ingest/status").json().getLong("events_behind")).isPositive();

    demo.admin("/features/admin/ingest/resume", new JsonObject().put("reason", "test"));
    await(() -> Long.parseLong(query("select consumer_offset from demo_features.ingest_state")) > offset);
  }

  @Test
  void mutationsNeedTheAdminTokenAndReadsDoNot() throws Exception {
    JsonObject pause = new JsonObject().put("reason", "test");
    DemoFixture.Response none = demo.post("/features/admin/ingest/pause", pause);
    DemoFixture.Response wrong = demo.post("/features/admin/ingest/pause", pause, "X-Admin-Token", "nope");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().getString("error")).isEqualTo("unauthorized");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(demo.get("/features/admin/ingest/status").json().getBoolean("paused")).isFalse();
    assertThat(demo.post("/registry/models/ranker/versions/11/status", new JsonObject().put("status", "bad")).status())
        .isEqualTo(401);
    assertThat(demo.post("/demo/reset", null).status()).isEqualTo(401);

    DemoFixture.Response ok = demo.post("/features/admin/ingest/pause", pause, "X-Admin-Token", DemoFixture.TOKEN,
        "X-Actor", "alice");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getBoolean("paused")).isTrue();
    assertThat(ok.json().getString("paused_reason")).isEqualTo("alice: test");
    assertThat(demo.post("/gateway/predict", new JsonObject().put("model", "ranker").put("entity_id", "u001")
        .put("item_id", "it0001")).status()).isEqualTo(200);
    assertThat(demo.platform.calls().count("POST /features/admin/ingest/pause"))
        .isEqualTo(new CallCounts.Count(3, 1, 0, 2));
  }

  @Test
  void aRepeatedIdempotencyKeyReturnsTheFirstResponseWithoutActingTwice() throws Exception {
    JsonObject deploy = new JsonObject().put("model_name", "ranker").put("version", "11").put("reason", "test");
    DemoFixture.Response first = demo.post("/registry/deployments", deploy, "X-Admin-Token", DemoFixture.TOKEN,
        "Idempotency-Key", "run-1:point-registry");
    DemoFixture.Response again = demo.post("/registry/deployments", deploy, "X-Admin-Token", DemoFixture.TOKEN,
        "Idempotency-Key", "run-1:point-registry");

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.headers().get("idempotent-replayed")).containsExactly("true");
    assertThat(query("select count(*) from demo_registry.deployments")).isEqualTo("5");
    assertThat(demo.platform.calls().count("POST /registry/deployments")).isEqualTo(new CallCounts.Count(2, 1, 1, 0));

    // The engine sends a step's key with its undo too: same endpoint, another body, and it must act.
    DemoFixture.Response undo = demo.post("/registry/deployments", deploy.copy().put("version", 12),
        "X-Admin-Token", DemoFixture.TOKEN, "Idempotency-Key", "run-1:point-registry");
    assertThat(undo.status()).isEqualTo(201);
    assertThat(undo.json().getString("ref")).isEqualTo("ranker@12");
    DemoFixture.Response newKey = demo.post("/registry/deployments", deploy, "X-Admin-Token", DemoFixture.TOKEN,
        "Idempotency-Key", "run-2:point-registry");
    assertThat(newKey.status()).isEqualTo(201);
    assertThat(query("select count(*) from demo_registry.deployments")).isEqualTo("7");
    assertThat(demo.platform.calls().count("POST /registry/deployments")).isEqualTo(new CallCounts.Count(4, 3, 1, 0));
  }

  @Test
  void callsAreCountedPerEndpointOverHttpAndInJava() throws Exception {
    demo.get("/serving/canary?model=ranker");
    demo.get("/serving/canary?model=fraud");
    demo.admin("/serving/admin/model", new JsonObject().put("model_name", "ranker").put("version", 11));

    JsonObject calls = demo.get("/demo/admin/calls").json().getJsonObject("calls");
    assertThat(calls.getJsonObject("GET /serving/canary").getInteger("executed")).isEqualTo(2);
    assertThat(calls.getJsonObject("POST /serving/admin/model").getInteger("executed")).isEqualTo(1);
    assertThat(demo.platform.calls().executed("POST /serving/admin/model")).isEqualTo(1);
    assertThat(demo.platform.calls().executed("POST /serving-standby/admin/model")).isZero();
  }

  @Test
  void contractErrorsForRefusedMutations() throws Exception {
    assertError(demo.admin("/registry/deployments", new JsonObject().put("model_name", "ranker").put("version", 99)),
        404, "not_found");
    assertError(demo.admin("/registry/models/ranker/versions/12/status", new JsonObject().put("status", "bad")),
        409, "version_deployed");
    assertError(demo.admin("/registry/models/ranker/versions/11/status", new JsonObject().put("status", "meh")),
        422, "invalid");
    assertError(demo.admin("/gateway/admin/traffic", new JsonObject().put("standby_percent", 101)), 422, "invalid");
    assertError(demo.admin("/gateway/admin/traffic", new JsonObject().put("standby_percent", "ten")), 422, "invalid");
    assertThat(demo.admin("/gateway/admin/traffic", new JsonObject().put("standby_percent", "10")).json()
        .getInteger("standby_percent")).isEqualTo(10);
    assertError(demo.admin("/serving/admin/model", new JsonObject().put("model_name", "ranker").put("version", 99)),
        404, "not_found");
    assertError(demo.admin("/rag/admin/embedder", new JsonObject().put("query_embedding_model", "gpt")), 422, "invalid");
    assertError(demo.admin("/rag/admin/aliases/kb-live", new JsonObject().put("index_name", "kb-nope")), 404, "not_found");
    assertError(demo.post("/registry/deployments", null, "X-Admin-Token", DemoFixture.TOKEN), 422, "invalid");
    LocalDate yesterday = today().minusDays(1);
    JsonObject backfill = new JsonObject().put("pipeline", "events-daily").put("from", yesterday.toString())
        .put("to", yesterday.toString()).put("reason", "test");
    DemoFixture.Response ready = demo.admin("/pipeline/admin/backfill", backfill);
    assertError(ready, 409, "partition_not_quarantined");
    assertThat(ready.json().getJsonArray("dates").getString(0)).isEqualTo(yesterday.toString());
    assertError(demo.admin("/pipeline/admin/backfill", backfill.copy().put("to", today().toString())), 422, "invalid");
    assertError(demo.admin("/pipeline/admin/backfill", backfill.copy().put("pipeline", "ranker-retrain")), 422, "invalid");
  }

  @Test
  void faultsOverHttpAndResetRestoreTheSeedState() throws Exception {
    for (Fault fault : Fault.values()) {
      DemoFixture.Response injected = demo.admin("/demo/faults/" + fault.id(), null);
      assertThat(injected.status()).as(fault.id()).isEqualTo(200);
      assertThat(injected.json().getString("heals_with")).isEqualTo(fault.healedBy());
    }
    assertThat(demo.admin("/demo/faults/no-such-fault", null).status()).isEqualTo(404);
    assertThat(demo.platform.faults().active()).hasSize(Fault.values().length);
    assertThat(demo.get("/serving/health").status()).isEqualTo(503);
    assertThat(demo.get("/pipeline/admin/datasets/ranker-training").json().getBoolean("match")).isFalse();

    assertThat(demo.admin("/demo/reset", null).status()).isEqualTo(200);

    assertThat(demo.platform.faults().active()).isEmpty();
    assertThat(demo.get("/serving/health").json().getString("status")).isEqualTo("ok");
    assertThat(demo.get("/rag/health").json().getString("status")).isEqualTo("ok");
    assertThat(demo.get("/pipeline/admin/datasets/ranker-training").json().getBoolean("match")).isTrue();
    assertThat(sha256(dir.resolve("var/demo/models/ranker-v12.onnx")))
        .isEqualTo("1f6cc03f4e104254e551d463c4a37e241703d23aba179b04e1c64a926db4c515");
    assertThat(query("select count(*) from demo_features.feature_values where value is null")).isEqualTo("0");
    assertThat(query("select count(*) from demo_warehouse.events where event_date = current_date - 3")).isEqualTo("2000");
    assertThat(Files.exists(dir.resolve("var/demo/datasets/ranker-training/versions/bad-build"))).isFalse();
  }

  // ------------------------------------------------------------------------------------------------

  private static void assertError(DemoFixture.Response response, int status, String code) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().getString("error")).isEqualTo(code);
    assertThat(response.json().getString("message")).isNotBlank();
  }

  private static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  private static String sha256(Path file) {
    DemoFiles.FileHash hash = DemoFiles.hash(file);
    return hash == null ? null : hash.sha256();
  }

  private static String link(Path path) {
    try {
      return Files.readSymbolicLink(path).toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String query(String sql) {
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("set time zone 'UTC'");
      try (ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getString(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
      RunbookDriver.sleep(Duration.ofMillis(100));
    }
  }
}
