package dev.rebound.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.app.Bootstrap;
import dev.rebound.app.Workspace;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.VerifyResult;
import dev.rebound.db.Database;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.db.TokenStore;
import dev.rebound.demo.DemoPlatform;
import dev.rebound.engine.EngineSettings;
import dev.rebound.inventory.Role;
import dev.rebound.retrieval.EmbeddingSettings;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A drill that does not end by itself: the service stopped while it recovers the demo system
 * (a real one, over HTTP), or its process died and the next start finds it running. Either way
 * the report must say it failed, in which phase, what became of its run and whether its fault may
 * still be in place, and where.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrillShutdownIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private static final String SCENARIO = "kb-drift";
  private static final String RUNBOOK = "rag-index-rebuild";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Vertx vertx;
  private static DemoPlatform demo;
  private static Workspace workspace;
  private static Bootstrap.Running service;
  private static String approver;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    demo = DrillStack.demo(vertx, db, "drill-shutdown-it-demo-token");
    workspace = DrillStack.workspace(db, demo, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.close().await(90, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(1)
  void theNextStartSaysWhatADrillWhoseProcessDiedMayHaveLeftBehind() throws Exception {
    // As a process that died leaves its drills: running, with the report of the last phase it saved.
    Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
    Database database = db.database(vertx).await(30, TimeUnit.SECONDS);
    try {
      PgDrillStore store = new PgDrillStore(database.pool());
      DrillReport recovering = abandoned("drill-died-recovering", anHourAgo, "recovering");
      recovering.runId = "run_0died0000_000000000000";
      store.save(recovering).await(10, TimeUnit.SECONDS);
      store.save(abandoned("drill-died-preparing", anHourAgo.minusSeconds(60), "preparing"))
          .await(10, TimeUnit.SECONDS);
    } finally {
      database.close().await(10, TimeUnit.SECONDS);
    }

    service = startService();

    JsonNode recovering = get("/api/drills/reports/drill-died-recovering");
    assertThat(recovering.path("status").asText()).isEqualTo("failed");
    assertThat(recovering.path("failure").asText()).isEqualTo("interrupted during its recovering phase: the process"
        + " running it stopped before it finished; its run run_0died0000_000000000000 may still wait for a person:"
        + " abort it (POST /api/runs/run_0died0000_000000000000/abort); its fault kb-drift may still be in place on"
        + " the demo system at " + demo.url() + ": reset it (POST " + demo.url() + "/demo/reset with the demo's admin"
        + " token, or restart the demo system)");
    JsonNode preparing = get("/api/drills/reports/drill-died-preparing");
    assertThat(preparing.path("failure").asText()).isEqualTo("interrupted during its preparing phase: the process"
        + " running it stopped before it finished; its fault kb-drift was not injected yet");
    // drill history (the CLI prints the same rows) carries the failure.
    JsonNode history = get("/api/drills/history?runbook=" + RUNBOOK);
    assertThat(history.path("drills").get(0).path("drill_id").asText()).isEqualTo("drill-died-recovering");
    assertThat(history.path("drills").get(0).path("failure")).isEqualTo(recovering.path("failure"));
  }

  @Test
  @Order(2)
  void aDrillInProgressWhenTheServiceStopsIsRecordedAsFailedItsRunAbortedAndTheDemoSystemReset()
      throws Exception {
    DrillStack.awaitIndex(service.port());
    HttpResponse<String> started = HTTP.send(request("/api/drills/" + SCENARIO)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String drillId = JSON.readTree(started.body()).path("drill_id").asText();
    JsonNode recovering = awaitPhase(drillId, "recovering");
    String runId = recovering.path("run_id").asText();
    assertThat(demo.faults().active()).as("the fault is in place while the drill recovers").isNotEmpty();

    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread watcher = new Thread(() -> watch(drillId, seen));
    watcher.start();
    service.close().await(90, TimeUnit.SECONDS);
    service = null;
    watcher.interrupt();
    watcher.join();

    // Recorded at once, before the clean-up: had the process died during it, the report says so.
    assertThat(seen).as("the report as saved during the stop").contains("failed: interrupted during its recovering"
        + " phase: the service stopped; its run " + runId + " may still wait for a person: abort it (POST /api/runs/"
        + runId + "/abort); its fault kb-drift may still be in place on the demo system at " + demo.url()
        + ": reset it (POST " + demo.url() + "/demo/reset with the demo's admin token, or restart the demo system)");

    assertThat(demo.faults().active()).as("faults left on the demo system").isEmpty();
    Database database = db.database(vertx).await(30, TimeUnit.SECONDS);
    try {
      DrillRecord report = new PgDrillStore(database.pool()).get(drillId).await(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(report.status()).isEqualTo("failed");
      assertThat(report.finishedAt()).isPresent();
      assertThat(report.failure()).contains("interrupted during its recovering phase: the service stopped; its run "
          + runId + " is aborted; the demo system at " + demo.url() + " was reset, its fault kb-drift is gone");
      assertThat(report.report().path("run_state").asText()).isEqualTo("aborted");
      assertThat(report.report().path("demo_reset").asBoolean()).isTrue();
      VerifyResult chain = new AuditVerifier(database.pool()).verify().await(30, TimeUnit.SECONDS);
      assertThat(chain.ok()).as(chain.summary()).isTrue();
    } finally {
      database.close().await(10, TimeUnit.SECONDS);
    }
    assertThat(runState(runId)).isEqualTo("aborted");
    assertThat(audit(runId)).as("no step of the run can run later: it was aborted, by the drill identity")
        .contains("drill run.aborted");

    // The next start shows it so; nothing was left for it to close.
    service = startService();
    JsonNode last = get("/api/drills").path("scenarios");
    assertThat(last).anySatisfy(s -> {
      assertThat(s.path("id").asText()).isEqualTo(SCENARIO);
      assertThat(s.path("last").path("drill_id").asText()).isEqualTo(drillId);
      assertThat(s.path("last").path("status").asText()).isEqualTo("failed");
    });
  }

  @Test
  @Order(3)
  void aDrillWhoseStepOutlastsTheGraceEndsWithTheGraceItsDemoSystemReset() throws Exception {
    // Unscaled waits: the runbook's wait-for-reindex step takes 30 s, far beyond this stop's grace.
    service.close().await(90, TimeUnit.SECONDS);
    service = null;
    service = Bootstrap.start(vertx, DrillStack.workspace(db, demo, Map.of("REBOUND_DRILL_WAIT_SCALE", "1")),
        EmbeddingSettings.inProcess(), EngineSettings.defaults()).await(120, TimeUnit.SECONDS);
    DrillStack.awaitIndex(service.port());
    HttpResponse<String> started = HTTP.send(request("/api/drills/" + SCENARIO)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String drillId = JSON.readTree(started.body()).path("drill_id").asText();
    String runId = awaitPhase(drillId, "recovering").path("run_id").asText();
    awaitStepRunning(runId, "wait-for-reindex");

    long before = System.nanoTime();
    boolean allEnded = service.stopEngines(Duration.ofSeconds(1)).await(90, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    assertThat(allEnded).as("the step outlasted the grace").isFalse();
    assertThat(took).as("the stop waits for the grace (1 s), then ends the drill").isLessThan(Duration.ofSeconds(12));
    assertThat(demo.faults().active()).as("faults left on the demo system").isEmpty();
    Database database = db.database(vertx).await(30, TimeUnit.SECONDS);
    try {
      DrillRecord report = new PgDrillStore(database.pool()).get(drillId).await(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(report.status()).isEqualTo("failed");
      assertThat(report.failure()).hasValue("interrupted during its recovering phase: the service stopped; its run "
          + runId + " may still wait for a person: abort it (POST /api/runs/" + runId + "/abort); the demo system at "
          + demo.url() + " was reset, its fault kb-drift is gone");
    } finally {
      database.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void awaitStepRunning(String runId, String stepId) throws Exception {
    Instant until = Instant.now().plus(Duration.ofMinutes(3));
    try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement(
        "select state from run_steps where run_id = ? and step_id = ?")) {
      s.setString(1, runId);
      s.setString(2, stepId);
      while (true) {
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next() && rs.getString(1).equals("running")) {
            return;
          }
        }
        assertThat(Instant.now()).as("step %s of %s never ran", stepId, runId).isBefore(until);
        Thread.sleep(100);
      }
    }
  }

  private static DrillReport abandoned(String id, Instant startedAt, String phase) {
    Scenario scenario = new Scenario(SCENARIO, "A drifted RAG index", SCENARIO, Map.of(), "RagIndexDrift",
        List.of("rag.index"), RUNBOOK, Map.of(), Optional.empty(), Path.of("drills", SCENARIO + ".yaml"));
    DrillReport report = new DrillReport(id, scenario, startedAt, 0.05);
    report.phase = phase;
    report.demoUrl = demo.url();
    return report;
  }

  private static Bootstrap.Running startService() throws Exception {
    Bootstrap.Running running = Bootstrap.start(vertx, workspace, EmbeddingSettings.inProcess(),
        EngineSettings.defaults()).await(120, TimeUnit.SECONDS);
    if (approver == null) {
      var runbook = workspace.loadRunbooks().runbooks().stream().filter(r -> r.id().equals(RUNBOOK)).findFirst()
          .orElseThrow();
      new RunbookApprovalStore(running.database().pool()).record(RUNBOOK, runbook.version(), runbook.contentHash(),
          runbook.author().equals("alice") ? "bruno" : "alice", "drill shutdown IT").await(10, TimeUnit.SECONDS);
      approver = new TokenStore(running.database().pool()).issue("alice", Role.APPROVER, "drill shutdown IT")
          .await(10, TimeUnit.SECONDS).token();
    }
    return running;
  }

  private static JsonNode awaitPhase(String drillId, String phase) throws Exception {
    Instant until = Instant.now().plus(Duration.ofMinutes(3));
    while (true) {
      JsonNode report = get("/api/drills/reports/" + drillId);
      if (report.path("phase").asText().equals(phase) && report.path("run_id").isTextual()) {
        return report;
      }
      assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("running");
      assertThat(Instant.now()).as("drill %s never reached %s: %s", drillId, phase, report).isBefore(until);
      Thread.sleep(100);
    }
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
        .timeout(Duration.ofSeconds(60));
    return approver == null ? b : b.header("Authorization", "Bearer " + approver);
  }

  /** Each new "status: failure" of the drill's stored report, until interrupted. */
  private static void watch(String drillId, List<String> seen) {
    try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement(
        "select status || ': ' || coalesce(failure, '') from drill_reports where drill_id = ?")) {
      s.setString(1, drillId);
      while (!Thread.currentThread().isInterrupted()) {
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          String now = rs.getString(1);
          if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
            seen.add(now);
          }
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      // the stop is over
    } catch (Exception e) {
      seen.add("watch failed: " + e);
    }
  }

  private static String runState(String runId) throws Exception {
    try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement("select state from runs where id = ?")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("run %s", runId).isTrue();
        return rs.getString(1);
      }
    }
  }

  /** "actor_type action" of the run's audit entries, oldest first. */
  private static List<String> audit(String runId) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.auditReader(); PreparedStatement s = c.prepareStatement(
        "select actor_type || ' ' || action from audit_log where run_id = ? order by seq")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
