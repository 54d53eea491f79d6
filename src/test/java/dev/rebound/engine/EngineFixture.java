package dev.rebound.engine;

import dev.rebound.testing.TestFiles;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rebound.app.RunbookStatuses;
import dev.rebound.app.Workspace;
import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.config.ReboundConfig;
import dev.rebound.config.SettleSettings;
import dev.rebound.db.Database;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.engine.action.ActionExecutors;
import dev.rebound.engine.check.CheckRunners;
import dev.rebound.inventory.Knowledge;
import dev.rebound.runbook.Runbook;
import dev.rebound.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The engine over a copy of {@code src/test/resources/engine-fixtures} (so tests may edit runbook
 * files), a fresh database and a WireMock target. Every runbook of the copy is approved (by
 * bruno, who wrote none). Engines are built like the application builds them, with test
 * settings: short leases, no poller unless asked, a clock the test may move.
 */
final class EngineFixture implements AutoCloseable {
  static final Path FIXTURES =
      Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/engine-fixtures");
  static final String SECRET = "engine-fixture-secret-5d1f";
  static final ObjectMapper JSON = new ObjectMapper();

  final Vertx vertx;
  final TestDatabase db;
  final WireMockExtension target;
  final Path root;
  final Database database;
  final ReboundConfig config;
  final Workspace workspace;
  /** Read again by {@link #reloadKnowledge()}, as a restarted replica reads team.yaml again. */
  volatile Knowledge knowledge;
  private final List<Engine> engines = new ArrayList<>();

  EngineFixture(Vertx vertx, TestDatabase db, WireMockExtension target, Path tempDir) throws Exception {
    this.vertx = vertx;
    this.db = db;
    this.target = target;
    this.root = tempDir.resolve("content");
    TestFiles.copyTree(FIXTURES, root);
    this.config = config(Map.of());
    this.workspace = new Workspace(config, root.resolve("runbooks"), root.resolve("knowledge"));
    this.knowledge = workspace.loadKnowledge(workspace.loadRunbooks().ids()).orElseThrow();
    this.database = db.database(vertx).await(30, SECONDS);
    approveAll();
  }

  ReboundConfig config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("DATABASE_URL", db.urlText());
    env.putIfAbsent("TARGET_URL", "http://127.0.0.1:" + target.getPort());
    return ReboundConfig.from(env, root.resolve("rebound.yaml"));
  }

  /** Test settings: 2 s leases, no poller, dispatch on approval, 10 ms backoffs at most. */
  static EngineSettings settings() {
    return EngineSettings.defaults().withLease(Duration.ofSeconds(2)).withPollInterval(Duration.ZERO)
        .withMaxBackoff(Duration.ofMillis(10)).withWorkers(8);
  }

  Engine engine(EngineSettings settings) throws Exception {
    return engine(settings, config);
  }

  Engine engine(EngineSettings settings, ReboundConfig cfg) throws Exception {
    return engine(settings, cfg, cfg.settle());
  }

  /** With how long failing validation (and invariants after a rollback) are re-checked. */
  Engine engine(EngineSettings settings, SettleSettings settle) throws Exception {
    return engine(settings, config, settle);
  }

  Engine engine(EngineSettings settings, ReboundConfig cfg, SettleSettings settle) throws Exception {
    return engine(settings, cfg, settle, null);
  }

  /** Reporting its meters to {@code registry}, as the service's engine reports to /metrics. */
  Engine engine(EngineSettings settings, MeterRegistry registry) throws Exception {
    return engine(settings, config, config.settle(), registry);
  }

  /** On its own connections to the database ({@code pool}), e.g. through a {@link dev.rebound.testing.TcpRelay}. */
  Engine engine(EngineSettings settings, Pool pool) throws Exception {
    return engine(settings, config, config.settle(), null, pool);
  }

  private Engine engine(EngineSettings settings, ReboundConfig cfg, SettleSettings settle, MeterRegistry registry)
      throws Exception {
    return engine(settings, cfg, settle, registry, database.pool());
  }

  private Engine engine(EngineSettings settings, ReboundConfig cfg, SettleSettings settle, MeterRegistry registry,
      Pool pool) throws Exception {
    Masker masker = Masker.of(cfg.secretValues());
    RunbookStatuses statuses = new RunbookStatuses(new RunbookApprovalStore(pool), cfg);
    Path workingDir = Path.of("").toAbsolutePath();
    Engine engine = Engine.builder(vertx, pool, new PgAuditLog(pool, masker))
        .runbooks(new FileRunbookSource(workspace.runbooksDir()))
        .gate(runbook -> statuses.of(runbook).map(s -> s.startable() ? Optional.<String>empty()
            : Optional.of(s.describe())))
        .policy(workspace.approvalPolicy())
        .team(() -> knowledge.team())
        .templateEnv(cfg.templateEnv().values(), cfg.templateEnv().secretNames())
        .masker(masker)
        .actions(ActionExecutors.standard(cfg, workspace.scriptsDir(), workingDir))
        .checks(CheckRunners.standard(cfg, workingDir, id -> knowledge.assets().find(id)))
        .settings(settings)
        .settle(settle)
        .meterRegistry(registry)
        .build();
    engine.start().await(10, SECONDS);
    engines.add(engine);
    return engine;
  }

  void approveAll() throws Exception {
    RunbookApprovalStore store = new RunbookApprovalStore(database.pool());
    for (Runbook r : workspace.loadRunbooks().runbooks()) {
      store.record(r.id(), r.version(), r.contentHash(), "bruno", "engine tests").await(10, SECONDS);
    }
  }

  /** Reads knowledge (team.yaml among it) again: every engine of this fixture sees it from now on. */
  void reloadKnowledge() {
    knowledge = workspace.loadKnowledge(workspace.loadRunbooks().ids()).orElseThrow();
  }

  Path runbookFile(String id) {
    return root.resolve("runbooks").resolve(id + ".yaml");
  }

  static Actor person(String id) {
    return switch (id) {
      case "grace" -> Actor.person(id, dev.rebound.inventory.Role.VIEWER);
      case "dmitri" -> Actor.person(id, dev.rebound.inventory.Role.RESPONDER);
      default -> Actor.person(id, dev.rebound.inventory.Role.APPROVER);
    };
  }

  JsonNode create(Engine engine, String requester, String runbook, String paramsJson) throws Exception {
    return engine.create(person(requester), NewRun.live(runbook, JSON.readTree(paramsJson))).await(30, SECONDS);
  }

  JsonNode view(Engine engine, String runId) throws Exception {
    return engine.view(runId).await(10, SECONDS);
  }

  static JsonNode step(JsonNode view, String stepId) {
    for (JsonNode s : view.path("steps")) {
      if (s.path("id").asText().equals(stepId)) {
        return s;
      }
    }
    throw new AssertionError("no step " + stepId + " in " + view);
  }

  static String actionHash(JsonNode view, String stepId) {
    return step(view, stepId).path("action_hash").asText();
  }

  /** Waits (polling the view) until {@code condition} holds; fails with the last view. */
  JsonNode await(Engine engine, String runId, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode view = view(engine, runId);
    while (!condition.test(view)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached; run is " + view.toPrettyString());
      }
      Thread.sleep(20);
      view = view(engine, runId);
    }
    return view;
  }

  static Predicate<JsonNode> stepIs(String stepId, String state) {
    return v -> step(v, stepId).path("state").asText().equals(state);
  }

  static Predicate<JsonNode> runIs(String state) {
    return v -> v.path("state").asText().equals(state);
  }

  /** Audit actions of the run, oldest first (optionally only those starting with a prefix). */
  List<String> auditActions(String runId) throws Exception {
    return db.auditActions(runId);
  }

  /** Details of the run's audit entries with this action, oldest first. */
  List<JsonNode> audit(String runId, String action) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (Connection c = db.auditReader(); PreparedStatement s = c.prepareStatement(
        "select details::text from audit_log where run_id = ? and action = ? order by seq")) {
      s.setString(1, runId);
      s.setString(2, action);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(JSON.readTree(rs.getString(1)));
        }
      }
    }
    return out;
  }

  void sql(String statement, Object... args) throws Exception {
    try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    }
  }

  /** Whether any stored text (audit, runs, steps, approvals, checks) contains {@code text}. */
  boolean storedAnywhere(String text) throws Exception {
    try (Connection c = db.auditReader(); PreparedStatement s = c.prepareStatement(
        "select (select count(*) from audit_log where details::text like ?) + (select count(*) from run_steps"
            + " where concat(action_display::text, undo::text, output::text, error, summary) like ?)")) {
      s.setString(1, "%" + text + "%");
      s.setString(2, "%" + text + "%");
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  int calls(String method, String path) {
    return (int) target.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getMethod().getName().equals(method) && e.getRequest().getUrl().equals(path))
        .count();
  }

  @Override
  public void close() throws Exception {
    for (Engine e : engines) {
      e.stop().await(30, SECONDS);
    }
    database.close().await(10, SECONDS);
  }

  static void assertNoSecretIn(EngineFixture f) throws Exception {
    assertThat(f.storedAnywhere(SECRET)).as("the secret is stored somewhere in clear").isFalse();
  }

  static Set<String> set(String... values) {
    return Set.of(values);
  }

}
