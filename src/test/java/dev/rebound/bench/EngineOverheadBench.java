package dev.rebound.bench;

import dev.rebound.testing.TestFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.app.RunbookStatuses;
import dev.rebound.app.Workspace;
import dev.rebound.audit.AuditEntry;
import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.ReboundConfig;
import dev.rebound.config.Secret;
import dev.rebound.db.Database;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.engine.Actor;
import dev.rebound.engine.Engine;
import dev.rebound.engine.EngineSettings;
import dev.rebound.engine.FileRunbookSource;
import dev.rebound.engine.NewRun;
import dev.rebound.engine.action.ActionExecutor;
import dev.rebound.engine.action.ActionExecutors;
import dev.rebound.engine.check.CheckRunners;
import dev.rebound.inventory.Knowledge;
import dev.rebound.inventory.Role;
import dev.rebound.runbook.Runbook;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Engine overhead per step and a 10-step run against calling the same 10 HTTP actions directly,
 * in one process on one scratch database. Not a test: run it by hand.
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.rebound.bench.EngineOverheadBench [runs [warm-up runs]]
 * </pre>
 *
 * The engine is built as the service builds it (PgRunStore, PgAuditLog, the standard HTTP
 * executor, production settings: dispatch on approval) over the engine test fixtures plus a
 * generated 10-step runbook whose steps POST to a Vert.x server in this process that answers 200
 * at once. For every step it takes four times: {@code approve()} called, the executor called, the
 * executor returned, and {@code step.succeeded} published (after its commit). The overhead of a
 * step is the whole minus the action itself (the time inside the HTTP executor: what calling the
 * target costs with or without an engine), i.e. what the engine adds: the approval, the claim
 * with its re-checks, the state changes and audit entries, the dispatch and the hand-offs between
 * threads. The direct HTTP round trip (same target, JDK client) and one INSERT + COMMIT are
 * printed as baselines. Default 50 runs × 10 steps = 500 steps, after 2,000 warm-up runs (about
 * three minutes). Needs DATABASE_URL's role to have CREATEDB; drops its database at the end.
 */
public final class EngineOverheadBench {
  private static final int STEPS = 10;
  /**
   * A service that has been up a while runs JIT-compiled code. After 40 warm-up runs (400 steps)
   * C2 was still compiling through the measured runs, taking most of a core from the event loop
   * and the database on a 2-core machine (overhead p95 14.5-15.2 ms); after 300 runs it still
   * took 25-40% of the measured time (p95 9.0-9.3 ms), after 1,200 runs 7% (p95 7.1 ms). With
   * the claim made in the approval's flight, 1,000 runs left 10% (p95 5.0 ms, flagged as still
   * warming up), 2,000 runs 9% (p95 4.3 ms), on the same quiet machine. The bench prints the JIT's time during the measured runs, so a figure taken while it still
   * compiles shows itself. Override with the second argument.
   */
  private static final int DEFAULT_WARMUP_RUNS = 2000;
  private static final List<String> FINAL = List.of("run.succeeded", "run.failed", "run.rolled_back", "run.aborted");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Actor REQUESTER = Actor.person("dmitri", Role.RESPONDER);
  private static final Actor APPROVER = Actor.person("alice", Role.APPROVER);

  private final Map<String, long[]> atTarget = new ConcurrentHashMap<>();
  /** Per run/step: when the executor was called and when it returned (System.nanoTime). */
  private final Map<String, long[]> inExecutor = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> succeeded = new ConcurrentHashMap<>();

  private EngineOverheadBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int warmupRuns = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_WARMUP_RUNS;
    DatabaseUrl server = ReboundConfig.fromEnvironment().database();
    DatabaseUrl url = server.withDatabase("rebound_bench_engine_" + Instant.now().getEpochSecond());
    admin(server, "create database " + url.database() + " template template1");
    Vertx vertx = Vertx.vertx();
    try {
      new EngineOverheadBench().run(vertx, url, runs, warmupRuns);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
      admin(server, "drop database if exists " + url.database() + " with (force)");
    }
  }

  private void run(Vertx vertx, DatabaseUrl url, int runs, int warmupRuns) throws Exception {
    HttpServer target = vertx.createHttpServer().requestHandler(req -> {
      long arrived = System.nanoTime();
      req.response().setStatusCode(200).putHeader("content-type", "application/json").end("{}");
      atTarget.put(req.path(), new long[] {arrived, System.nanoTime()});
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    String targetUrl = "http://127.0.0.1:" + target.actualPort();

    Path root = Files.createTempDirectory("rebound-bench-engine");
    TestFiles.copyTree(Path.of("src/test/resources/engine-fixtures"), root);
    Files.writeString(root.resolve("runbooks/bench.yaml"), runbook());
    ReboundConfig config = ReboundConfig.from(Map.of("DATABASE_URL", urlText(url), "TARGET_URL", targetUrl),
        root.resolve("rebound.yaml"));
    Workspace workspace = new Workspace(config, root.resolve("runbooks"), root.resolve("knowledge"));
    Knowledge knowledge = workspace.loadKnowledge(workspace.loadRunbooks().ids()).orElseThrow();
    Database database = Database.create(vertx, url);
    database.migrate().await(60, TimeUnit.SECONDS);
    RunbookApprovalStore approvals = new RunbookApprovalStore(database.pool());
    for (Runbook r : workspace.loadRunbooks().runbooks()) {
      approvals.record(r.id(), r.version(), r.contentHash(), "bruno", "bench").await(10, TimeUnit.SECONDS);
    }
    Engine engine = engine(vertx, database, workspace, knowledge, config);
    engine.start().await(10, TimeUnit.SECONDS);

    HttpClient direct = HttpClient.newHttpClient();
    List<Double> overheads = new ArrayList<>();
    List<Double> totals = new ArrayList<>();
    List<Double> targetSide = new ArrayList<>();
    List<Double> actions = new ArrayList<>();
    List<Double> before = new ArrayList<>();
    List<Double> after = new ArrayList<>();
    List<Double> runWalls = new ArrayList<>();
    List<Double> directWalls = new ArrayList<>();
    List<Double> directCalls = new ArrayList<>();
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long jitBefore = 0;
    long measuredFrom = 0;
    for (int r = 0; r < warmupRuns + runs; r++) {
      boolean measured = r >= warmupRuns;
      if (r == warmupRuns) {
        jitBefore = jit.getTotalCompilationTime();
        measuredFrom = System.nanoTime();
      }
      String tag = "r" + r;
      long runStart = System.nanoTime();
      JsonNode view = engine.create(REQUESTER, NewRun.live("bench", JSON.readTree("{\"tag\": \"" + tag + "\"}")))
          .await(30, TimeUnit.SECONDS);
      String runId = view.path("id").asText();
      CompletableFuture<Long> done = new CompletableFuture<>();
      var consumer = vertx.eventBus().<String>consumer(Engine.eventAddress(runId), msg -> {
        long at = System.nanoTime();
        AuditEntry entry = AuditEntry.fromJsonLine(msg.body());
        if (entry.action().equals("step.succeeded")) {
          succeeded.computeIfAbsent(runId + "/" + entry.details().path("step_id").asText(),
              k -> new CompletableFuture<>()).complete(at);
        } else if (FINAL.contains(entry.action())) {
          done.complete(at);
        }
      });
      consumer.completion().await(10, TimeUnit.SECONDS);
      for (int s = 1; s <= STEPS; s++) {
        String step = "s" + s;
        String hash = step(view, step).path("action_hash").asText();
        CompletableFuture<Long> ok = succeeded.computeIfAbsent(runId + "/" + step, k -> new CompletableFuture<>());
        long approveAt = System.nanoTime();
        engine.approve(APPROVER, runId, step, hash).await(30, TimeUnit.SECONDS);
        long succeededAt = ok.get(30, TimeUnit.SECONDS);
        long[] target2 = atTarget.get("/bench/" + tag + "/" + step);
        long[] action = inExecutor.get(runId + "/" + step);
        if (measured) {
          double inAction = ms(action[1] - action[0]);
          totals.add(ms(succeededAt - approveAt));
          targetSide.add(ms(target2[1] - target2[0]));
          actions.add(inAction);
          overheads.add(ms(succeededAt - approveAt) - inAction);
          before.add(ms(action[0] - approveAt));
          after.add(ms(succeededAt - action[1]));
        }
        if (s < STEPS) {
          view = engine.view(runId).await(30, TimeUnit.SECONDS);
        }
      }
      long runEnd = done.get(30, TimeUnit.SECONDS);
      consumer.unregister();
      long directStart = System.nanoTime();
      for (int s = 1; s <= STEPS; s++) {
        long t = System.nanoTime();
        HttpResponse<String> resp = direct.send(HttpRequest.newBuilder(URI.create(targetUrl + "/direct/" + tag + "/s" + s))
            .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
          throw new IllegalStateException("target answered " + resp.statusCode());
        }
        if (measured) {
          directCalls.add(ms(System.nanoTime() - t));
        }
      }
      if (measured) {
        directWalls.add(ms(System.nanoTime() - directStart));
        runWalls.add(ms(runEnd - runStart));
      }
    }
    long jitMs = jit.getTotalCompilationTime() - jitBefore;
    long measuredMs = (System.nanoTime() - measuredFrom) / 1_000_000;
    List<Double> commits = commitRoundTrips(database, overheads.size());
    engine.stop().await(30, TimeUnit.SECONDS);
    database.close().await(10, TimeUnit.SECONDS);

    System.out.printf(Locale.ROOT, "engine overhead per step (approve -> claim -> persist -> audit -> dispatch ->"
        + " step.succeeded committed, minus the action itself), %d steps in %d runs after %d warm-up runs:%n",
        overheads.size(), runs, warmupRuns);
    System.out.printf(Locale.ROOT, "  JIT compilation during the measured runs: %d ms in %d ms%s%n", jitMs, measuredMs,
        jitMs * 10 > measuredMs ? " (still warming up: raise the warm-up runs)" : "");
    row("engine overhead per step", overheads);
    row("  of which approve -> executor called", before);
    row("  of which executor returned -> succeeded", after);
    row("approve -> step.succeeded (whole)", totals);
    row("the action itself (inside the executor)", actions);
    row("baseline: direct HTTP call (JDK client)", directCalls);
    row("target's own handling", targetSide);
    row("baseline: one INSERT + COMMIT (same pool)", commits);
    System.out.printf(Locale.ROOT, "target: p95 overhead <= 5 ms: %s%n",
        percentile(overheads, 95) <= 5.0 ? "met" : "NOT met");
    System.out.printf(Locale.ROOT, "%n%d-step run, wall time (create -> approve each step -> run.succeeded), %d runs:%n",
        STEPS, runs);
    row("run through the engine", runWalls);
    row("baseline: same 10 HTTP calls directly", directWalls);
  }

  /** The database's floor: a one-row insert in its own transaction, as many times as steps were measured. */
  private static List<Double> commitRoundTrips(Database database, int n) throws Exception {
    var pool = database.pool();
    pool.query("create table bench_commit (id bigserial primary key, at timestamptz not null default now())")
        .execute().await(10, TimeUnit.SECONDS);
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n + 20; i++) {
      long t = System.nanoTime();
      pool.withTransaction(tx -> tx.query("insert into bench_commit default values").execute())
          .await(10, TimeUnit.SECONDS);
      if (i >= 20) {
        out.add(ms(System.nanoTime() - t));
      }
    }
    return out;
  }

  private static void row(String name, List<Double> values) {
    System.out.printf(Locale.ROOT, "  %-42s p50 %8.3f ms   p95 %8.3f ms   max %8.3f ms%n", name,
        percentile(values, 50), percentile(values, 95), percentile(values, 100));
  }

  private static double percentile(List<Double> values, double p) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  private static JsonNode step(JsonNode view, String id) {
    for (JsonNode s : view.path("steps")) {
      if (s.path("id").asText().equals(id)) {
        return s;
      }
    }
    throw new IllegalStateException("no step " + id + " in " + view);
  }

  /** The executor, timed: what the action itself costs is not the engine's overhead. */
  private ActionExecutor timed(ActionExecutor inner) {
    return (action, ctx) -> {
      long start = System.nanoTime();
      try {
        return inner.execute(action, ctx);
      } finally {
        inExecutor.put(ctx.runId() + "/" + ctx.stepId(), new long[] {start, System.nanoTime()});
      }
    };
  }

  private Engine engine(Vertx vertx, Database database, Workspace workspace, Knowledge knowledge,
      ReboundConfig config) {
    Masker masker = Masker.of(config.secretValues());
    RunbookStatuses statuses = new RunbookStatuses(new RunbookApprovalStore(database.pool()), config);
    Path workingDir = Path.of("").toAbsolutePath();
    return Engine.builder(vertx, database.pool(), new PgAuditLog(database.pool(), masker))
        .runbooks(new FileRunbookSource(workspace.runbooksDir()))
        .gate(runbook -> statuses.of(runbook).map(s -> s.startable() ? Optional.<String>empty()
            : Optional.of(s.describe())))
        .policy(workspace.approvalPolicy())
        .team(knowledge::team)
        .templateEnv(config.templateEnv().values(), config.templateEnv().secretNames())
        .masker(masker)
        .actions(timed(ActionExecutors.standard(config, workspace.scriptsDir(), workingDir)))
        .checks(CheckRunners.standard(config, workingDir, id -> knowledge.assets().find(id)))
        .settings(EngineSettings.defaults())
        .build();
  }

  private static String runbook() {
    StringBuilder yaml = new StringBuilder("""
        id: bench
        version: 1
        title: Ten no-op HTTP steps
        summary: EngineOverheadBench measures the engine around them.
        author: carol
        assets: [svc.target]
        params:
          tag: {type: string, pattern: "^[a-z0-9]+$"}
        steps:
        """);
    for (int s = 1; s <= STEPS; s++) {
      yaml.append("  - id: s").append(s).append('\n')
          .append("    title: No-op step ").append(s).append('\n')
          .append("    risk: low\n")
          .append("    action: {type: http, method: POST, url: \"{{env.TARGET_URL}}/bench/{{params.tag}}/s")
          .append(s).append("\"}\n")
          .append("    rollback: {type: http, method: POST, url: \"{{env.TARGET_URL}}/bench/{{params.tag}}/s")
          .append(s).append("/undo\"}\n");
    }
    return yaml.toString();
  }

  private static String urlText(DatabaseUrl u) {
    String password = u.password().map(Secret::reveal).map(p -> ":" + p).orElse("");
    return "postgresql://" + u.user() + password + "@" + u.host() + ":" + u.port() + "/" + u.database();
  }

  private static void admin(DatabaseUrl u, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password().map(Secret::reveal).orElse(null));
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

}
