package dev.rebound.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.rebound.config.ReboundConfig;
import dev.rebound.engine.action.ActionExecutors;
import dev.rebound.engine.action.ActionOutcome;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.engine.check.CheckRunners;
import dev.rebound.engine.check.ParamChoiceReader;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.inventory.Knowledge;
import dev.rebound.runbook.ParamBinder;
import dev.rebound.runbook.ParamSpec;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import dev.rebound.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bundled runbook against the demo platform, with real HTTP, SQL, files and scripts: inject
 * the fault the runbook is for, see its preconditions hold and its validation fail (detection), run
 * every step's action and verify checks in order, and see the validation pass (healed). Two
 * runbooks are also rolled back, checking their invariants after the unwinding.
 *
 * <p>Runbooks, knowledge and rebound.yaml are the repository's own files; only the template env
 * points at this platform (random port, temporary directory). Waits are shortened by a test
 * executor for {@code wait} actions: it sleeps briefly, except for embedding-model-mismatch's
 * three-minute traffic collection, which it simulates by ageing the retrieval log three minutes
 * and letting fresh traffic flow, exactly what three real minutes would leave behind.
 */
class BundledRunbooksIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @TempDir static Path dir;

  private static final Path REPO = DemoFixture.REPO;
  private static final Map<String, Runnable> WAIT_HOOKS = new ConcurrentHashMap<>();
  private static DemoFixture demo;
  private static ReboundConfig config;
  private static RunbookCatalog catalog;
  private static ActionExecutors executors;
  private static CheckRunners checks;

  @BeforeAll
  static void start() throws Exception {
    demo = DemoFixture.start(db, dir);
    Map<String, String> env = new HashMap<>(demo.platform.templateEnv());
    env.put("DATABASE_URL", db.urlText());
    config = ReboundConfig.from(env, REPO.resolve("rebound.yaml"));
    catalog = RunbookCatalog.load(REPO.resolve("runbooks"));
    assertThat(catalog.problems()).isEmpty();
    Knowledge knowledge = Knowledge.load(REPO.resolve("knowledge"), catalog.ids()).orElseThrow();
    executors = ActionExecutors.standard(config, REPO.resolve("runbooks/scripts"), dir)
        .with("wait", (rendered, ctx) -> {
          WAIT_HOOKS.getOrDefault(ctx.stepId(), () -> RunbookDriver.sleep(Duration.ofMillis(300))).run();
          return new ActionOutcome(JsonNodeFactory.instance.objectNode(), "waited (shortened by the test)", Duration.ZERO);
        });
    checks = CheckRunners.standard(config, dir, id -> knowledge.assets().find(id));
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
    WAIT_HOOKS.clear();
  }

  @Test
  void every_parameter_with_choices_offers_values_its_own_schema_accepts() {
    ParamChoiceReader reader = ParamChoiceReader.standard(config, Duration.ofSeconds(10));
    int offering = 0;
    for (Runbook runbook : catalog.runbooks()) {
      for (ParamSpec param : runbook.params()) {
        if (param.choices().isEmpty()) {
          continue;
        }
        offering++;
        ParamChoiceReader.Candidates candidates = reader.candidates(param);
        assertThat(candidates.offered()).as(runbook.id() + " " + param.name()).isNotEmpty();
        // Every row its query returns is a value the parameter accepts: none is left out.
        assertThat(candidates.leftOut()).as(runbook.id() + " " + param.name()).isEmpty();
        for (ParamChoiceReader.Choice choice : candidates.offered()) {
          assertThat(ParamBinder.bindStrings(List.of(param), Map.of(param.name(), choice.value())).errors())
              .as(runbook.id() + " " + param.name() + " offers " + choice).isEmpty();
        }
      }
    }
    assertThat(offering).as("parameters naming choices").isEqualTo(3);

    List<ParamChoiceReader.Choice> snapshots = reader.candidates(
        catalog.get("feature-store-restore").orElseThrow().param("snapshot_id").orElseThrow()).offered();
    assertThat(snapshots.get(0).value())
        .isEqualTo(queryText("select snapshot_id from demo_features.snapshots where verified order by created_at desc limit 1"));
    assertThat(snapshots.get(0).label()).startsWith("created_at ").contains(", row_count ");
  }

  @Test
  void a_choices_query_that_writes_is_refused_by_the_server_and_changes_nothing() {
    String before = queryText("select count(*) from demo_features.snapshots");
    ParamChoiceReader reader = ParamChoiceReader.standard(config, Duration.ofSeconds(10));
    ParamSpec writing = new ParamSpec("snapshot_id", "string", Optional.empty(), Optional.empty(), JsonNodeFactory.instance
        .objectNode().put("type", "string").set("choices", JsonNodeFactory.instance.objectNode()
            .put("datasource", "features").put("sql", "delete from snapshots returning snapshot_id")));
    assertThatThrownBy(() -> reader.candidates(writing))
        .isInstanceOf(TargetCallException.class).hasMessageContaining("read-only transaction");
    assertThat(queryText("select count(*) from demo_features.snapshots")).isEqualTo(before);
  }

  @Test
  void featureStoreRestoreHealsCorruptFeatures() throws Exception {
    String snapshot = queryText("select snapshot_id from demo_features.snapshots where verified order by created_at desc limit 1");
    RunbookDriver run = driver("feature-store-restore", Map.of("snapshot_id", snapshot));
    assertHealthy(run);

    demo.platform.faults().corruptFeatures().await();

    detect(run, "features are fresh (newest write under 5 minutes)", "null rate at most 2%",
        "ranker canary predictions are sane on restored features");
    run.runAll();
    assertHealed(run);
    assertThat(run.output("restore").path("rows_restored").asLong()).isEqualTo(4000);
  }

  @Test
  void featureStoreRestoreHealsStalledIngestion() throws Exception {
    String snapshot = queryText("select snapshot_id from demo_features.snapshots where verified order by created_at desc limit 1");
    RunbookDriver run = driver("feature-store-restore", Map.of("snapshot_id", snapshot));

    demo.platform.faults().stallIngestion().await();

    detect(run, "features are fresh (newest write under 5 minutes)");
    run.runAll();
    assertHealed(run);
  }

  @Test
  void modelRollbackHealsACorruptArtifact() throws Exception {
    RunbookDriver run = driver("model-rollback", Map.of("model_name", "ranker", "model_version", "11"));

    demo.platform.faults().corruptModelArtifact().await();

    detect(run, "registry deployment is the target version", "end-to-end canary predictions are sane");
    run.runAll();
    assertHealed(run);
    assertThat(queryText("select status from demo_registry.model_versions where model_name = 'ranker' and version = 12"))
        .isEqualTo("bad");
    assertThat(demo.platform.calls().executed("POST /serving/admin/model")).isEqualTo(1);
    assertThat(demo.platform.calls().executed("POST /serving-standby/admin/model")).isEqualTo(1);
  }

  @Test
  void modelRollbackHealsADegenerateModel() throws Exception {
    RunbookDriver run = driver("model-rollback", Map.of("model_name", "ranker", "model_version", "11"));

    demo.platform.faults().degenerateModel().await();

    detect(run, "end-to-end canary predictions are sane");
    run.runAll();
    assertHealed(run);
  }

  @Test
  void servingFailoverHealsADownPrimaryAndItsRollbackFailsBack() throws Exception {
    RunbookDriver run = driver("serving-failover", Map.of("reason", "INC-DRILL primary zone down"));
    assertHealthy(run);

    demo.platform.faults().takePrimaryDown().await();

    detect(run, "gateway healthy", "end-to-end fraud predictions are sane");
    run.runAll();
    assertHealed(run);

    // The primary is repaired; rolling the run back fails traffic back to it, step by step.
    demo.platform.faults().repairServing().await();
    List<CheckResult> invariants = run.rollback();
    assertThat(invariants).allMatch(CheckResult::passed);
    assertThat(demo.get("/gateway/admin/traffic").json().getInteger("standby_percent")).isZero();
    assertThat(demo.platform.calls().executed("POST /gateway/admin/traffic")).isEqualTo(4);
  }

  @Test
  void servingFailoverHealsASlowPrimary() throws Exception {
    RunbookDriver run = driver("serving-failover", Map.of("reason", "INC-DRILL primary latency"));

    demo.platform.faults().slowPrimary().await();

    // The latency checks fail too, but 50 probes at 400 ms take 20 s: the gateway's judgement suffices.
    detect(run, "gateway healthy");
    run.runAll();
    assertHealed(run);
  }

  @Test
  void ragIndexRebuildHealsKnowledgeBaseDrift() throws Exception {
    RunbookDriver run = driver("rag-index-rebuild", Map.of());
    assertHealthy(run);
    String before = demo.get("/rag/health").json().getString("index_name");

    demo.platform.faults().driftKnowledgeBase().await();

    detect(run, "no drift left between the knowledge base and kb-live");
    run.runAll();
    assertHealed(run);
    assertThat(run.output("measure-drift").path("stale_docs").asInt()).isEqualTo(5);
    assertThat(run.output("measure-drift").path("missing_docs").asInt()).isEqualTo(3);
    assertThat(run.output("measure-drift").path("orphaned_docs").asInt()).isEqualTo(2);
    assertThat(demo.get("/rag/health").json().getString("index_name")).isNotEqualTo(before);
  }

  @Test
  void embeddingModelMismatchRealignsTheQueryEmbedder() throws Exception {
    RunbookDriver run = driver("embedding-model-mismatch", Map.of());
    // The three-minute collection: what it leaves behind is the fault's queries out of the 2-minute
    // window and at least 100 fresh ones on the pinned embedder. Ageing the log by three minutes
    // and letting traffic flow gives exactly that, in seconds.
    WAIT_HOOKS.put("collect-traffic", () -> {
      RunbookDriver.sleep(Duration.ofMillis(300)); // queries begun before the pin have logged by now
      update("update demo_rag.retrieval_log set logged_at = logged_at - interval '3 minutes'");
      await("100 queries in the last 2 minutes", Duration.ofSeconds(30), () ->
          queryLong("select count(*) from demo_rag.retrieval_log where logged_at > now() - interval '2 minutes'") >= 120);
    });

    demo.platform.faults().mismatchEmbedder().await();

    detect(run, "all queries of the last 2 minutes used the index's embedding model");
    run.runAll();
    assertHealed(run);
  }

  @Test
  void pipelineBackfillHealsACorruptPartitionAndItsRollbackRestoresTheQuarantinedRows() throws Exception {
    LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(Faults.CORRUPT_PARTITION_DAYS_AGO);
    RunbookDriver run = driver("pipeline-backfill",
        Map.of("from_date", day.toString(), "to_date", day.toString(), "reason", "INC-DRILL corrupt clickstream drop"));
    assertHealthy(run, "backfilled amounts look like the previous four weeks (KS at most 0.1)");

    demo.platform.faults().corruptPartition().await();
    long corruptRows = queryLong("select count(*) from demo_warehouse.events where event_date = '" + day + "'");

    detect(run, "every day in the range is ready with the manifest's row count",
        "backfilled amounts look like the previous four weeks (KS at most 0.1)");
    run.runAll();
    assertHealed(run);
    assertThat(queryLong("select count(*) from demo_warehouse.events where event_date = '" + day + "'")).isEqualTo(2000);

    // Unwinding: unload the reload, release the quarantined rows, resume. Back to the state before.
    List<CheckResult> invariants = run.rollback();
    assertThat(invariants).allMatch(CheckResult::passed);
    assertThat(queryLong("select count(*) from demo_warehouse.events where event_date = '" + day + "'"))
        .isEqualTo(corruptRows);
    assertThat(queryText("select status from demo_warehouse.partitions where partition_date = '" + day + "'"))
        .isEqualTo("ready");
    assertThat(demo.get("/pipeline/admin/pipelines/events-daily").json().getBoolean("paused")).isFalse();
  }

  @Test
  void trainingDatasetRestoreHealsACorruptDataset() throws Exception {
    RunbookDriver run = driver("training-dataset-restore", Map.of("model", "ranker", "snapshot_id", "snap-5e1f0c2a"));
    assertHealthy(run);

    demo.platform.faults().corruptDataset().await();

    detect(run, "what training reads matches the catalog (manifest, every part, row count)");
    run.runAll();
    assertHealed(run);
    String target = Files.readSymbolicLink(dir.resolve("var/demo/datasets/ranker-training/current")).toString();
    assertThat(target).startsWith("versions/snap-5e1f0c2a-").isNotEqualTo("versions/snap-5e1f0c2a-seed");
  }

  // ------------------------------------------------------------------------------------------------

  private static RunbookDriver driver(String runbookId, Map<String, String> params) {
    return new RunbookDriver(catalog.get(runbookId).orElseThrow(), params, config, executors, checks);
  }

  /**
   * Before the fault, the runbook's own validation sees a healthy system (but for the named checks,
   * which judge what a run produces and have nothing to judge before one).
   */
  private static void assertHealthy(RunbookDriver run, String... notApplicable) {
    List<CheckResult> validation = run.validation().stream()
        .filter(r -> !List.of(notApplicable).contains(r.name())).toList();
    assertThat(validation).as("validation before the fault: %s", validation).allMatch(CheckResult::passed);
  }

  /** The named validation checks fail (within a few seconds: alerts need the next loop tick) while preconditions hold. */
  private static void detect(RunbookDriver run, String... failing) {
    List<String> expected = List.of(failing);
    await("detection of " + expected, Duration.ofSeconds(60),
        () -> run.validation(expected).stream().filter(r -> !r.passed()).count() == expected.size());
    List<CheckResult> preconditions = run.preconditions();
    assertThat(preconditions).as("preconditions under the fault: %s", preconditions).allMatch(CheckResult::passed);
  }

  private static void assertHealed(RunbookDriver run) {
    List<CheckResult>[] last = new List[1];
    boolean healed = poll(Duration.ofSeconds(10), () -> {
      last[0] = run.validation();
      return last[0].stream().allMatch(CheckResult::passed);
    });
    assertThat(healed).as("validation after the run: %s\n%s", last[0], String.join("\n", run.log())).isTrue();
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) {
    assertThat(poll(timeout, condition)).as("waited %s for %s", timeout, what).isTrue();
  }

  private static boolean poll(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      RunbookDriver.sleep(Duration.ofMillis(200));
    }
  }

  private static String queryText(String sql) {
    try (Connection c = db.jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static long queryLong(String sql) {
    return Long.parseLong(queryText(sql));
  }

  private static void update(String sql) {
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
