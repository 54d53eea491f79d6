package dev.rebound.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.app.Bootstrap;
import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.db.TokenStore;
import dev.rebound.demo.DemoPlatform;
import dev.rebound.demo.DemoSettings;
import dev.rebound.demo.DemoTimings;
import dev.rebound.engine.EngineSettings;
import dev.rebound.inventory.Role;
import dev.rebound.retrieval.EmbeddingSettings;
import dev.rebound.runbook.Runbook;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every bundled drill scenario against the demo production system, through the whole service:
 * real HTTP (Rebound's API and the demo's), real SQL, the bundled runbooks, knowledge and
 * rebound.yaml, the normal engine. The demo runs with its fast loop timings and drills with a
 * wait scale of 0.05 (recorded in each report), so the suite takes minutes, not an hour.
 *
 * <p>The demo's files live under the working directory ({@code var/demo}, ignored by git): the
 * lineage in knowledge/assets.yaml names them relative to it, as in production.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrillsIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  static final String FAILING = "primary-down-wrong-runbook";
  private static final String ADMIN = "drills-it-admin-token-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Vertx vertx;
  private static DemoPlatform demo;
  private static Workspace workspace;
  private static Bootstrap.Running service;
  private static String approver;
  private static String viewer;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    demo = DemoPlatform.deploy(vertx, DemoSettings.of(db.url(), Path.of("").toAbsolutePath()).withPort(0)
        .withTimings(timings()).withAdminToken("drills-it-demo-token")).await(120, TimeUnit.SECONDS);
    Map<String, String> env = new HashMap<>(demo.templateEnv());
    env.put("DATABASE_URL", db.urlText());
    env.put("REBOUND_HTTP_PORT", "0");
    env.put("REBOUND_ADMIN_TOKEN", ADMIN);
    env.put("REBOUND_DEMO_URL", demo.url());
    env.put("REBOUND_DRILL_WAIT_SCALE", "0.05");
    ReboundConfig config = ReboundConfig.from(env, REPO.resolve("rebound.yaml"));
    workspace = new Workspace(config, REPO.resolve("runbooks"), REPO.resolve("knowledge"));
    service = startService();
    RunbookApprovalStore approvals = new RunbookApprovalStore(service.database().pool());
    for (Runbook r : workspace.loadRunbooks().runbooks()) {
      String by = r.author().equals("dmitri") ? "alice" : "dmitri";
      approvals.record(r.id(), r.version(), r.contentHash(), by, "drills IT").await(10, TimeUnit.SECONDS);
    }
    TokenStore tokens = new TokenStore(service.database().pool());
    approver = tokens.issue("alice", Role.APPROVER, "drills IT").await(10, TimeUnit.SECONDS).token();
    viewer = tokens.issue("esra", Role.VIEWER, "drills IT").await(10, TimeUnit.SECONDS).token();
    awaitIndex();
  }

  /**
   * The fast loops, but RAG traffic at its standard pace: embedding-model-mismatch judges the
   * score distribution of the last two minutes against the seeded history, which was recorded
   * at that pace.
   */
  private static DemoTimings timings() {
    DemoTimings f = DemoTimings.fast();
    return new DemoTimings(f.ingest(), f.generator(), f.eventsPerTick(), f.heartbeat(), f.integrity(), f.gatewayPoll(),
        f.gatewayTraffic(), DemoTimings.standard().ragTraffic(), f.snapshots(), f.scheduler(), f.retention());
  }

  private static Bootstrap.Running startService() throws Exception {
    return Bootstrap.start(vertx, workspace, EmbeddingSettings.inProcess(), EngineSettings.defaults())
        .await(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.close().await(30, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(1)
  void everyBundledScenarioPassesAsADrill() throws Exception {
    JsonNode list = get("/api/drills", viewer).body;
    List<String> ids = new ArrayList<>();
    list.path("scenarios").forEach(s -> ids.add(s.path("id").asText()));
    assertThat(ids).hasSize(11).contains(FAILING);
    List<String> problems = new ArrayList<>();
    for (String id : ids) {
      if (id.equals(FAILING) || !System.getProperty("drills.only", id).equals(id)) {
        continue;
      }
      JsonNode report = drill(id);
      System.out.printf("drill %-24s %s detection %sms recovery %sms retrieval %s%n", id, report.path("status").asText(),
          report.path("detection_ms").asText(), report.path("recovery_ms").asText(), report.path("retrieval"));
      if (!report.path("status").asText().equals("passed")) {
        problems.add(id + ": " + report.path("failure").asText() + "\n" + report.toPrettyString());
        continue;
      }
      assertThat(report.path("detection_ms").asLong()).as(id).isPositive();
      assertThat(report.path("recovery_ms").asLong()).as(id).isGreaterThan(report.path("detection_ms").asLong());
      assertThat(report.path("steps")).as(id).isNotEmpty()
          .allMatch(s -> s.path("state").asText().equals("succeeded") && s.path("duration_ms").asLong() >= 0);
      assertThat(report.path("assets")).as(id).isNotEmpty()
          .allMatch(a -> a.path("within_rto").asBoolean() && a.path("rto_seconds").asLong() > 0);
      assertThat(report.path("retrieval").path("expected").asText()).isEqualTo(report.path("runbook_id").asText());
      assertThat(report.path("wait_scale").asDouble()).isEqualTo(0.05);
      assertThat(report.path("demo_reset").asBoolean()).as(id).isTrue();
      assertThat(report.path("run_state").asText()).as(id).isIn("succeeded", "aborted");
    }
    assertThat(problems).as("drills that did not pass").isEmpty();
    if (System.getProperty("drills.only") != null) {
      return;
    }
    // The scenarios list now shows each one's last drill.
    get("/api/drills", viewer).body.path("scenarios").forEach(s -> {
      if (!s.path("id").asText().equals(FAILING)) {
        assertThat(s.path("last").path("status").asText()).as(s.path("id").asText()).isEqualTo("passed");
        assertThat(s.path("last").path("within_rto").asBoolean()).isTrue();
      }
    });
  }

  private static JsonNode drill(String id) throws Exception {
    Reply started = post("/api/drills/" + id, approver);
    assertThat(started.status).as("POST /api/drills/%s: %s", id, started.body).isEqualTo(202);
    String drillId = started.body.path("drill_id").asText();
    Instant until = Instant.now().plus(Duration.ofMinutes(6));
    while (true) {
      Reply reply = get("/api/drills/reports/" + drillId, viewer);
      assertThat(reply.status).as("report of %s: %s", drillId, reply.body).isEqualTo(200);
      JsonNode report = reply.body;
      if (!report.path("status").asText().equals("running")) {
        return report;
      }
      assertThat(Instant.now()).as("drill %s still running: %s", id, report).isBefore(until);
      Thread.sleep(500);
    }
  }

  private static void awaitIndex() throws Exception {
    Instant until = Instant.now().plus(Duration.ofMinutes(3));
    while (true) {
      JsonNode ready = send(HttpRequest.newBuilder(uri("/health/ready")).GET(), null).body;
      if (ready.path("details").path("retrieval").path("index").asText().equals("fresh")) {
        return;
      }
      assertThat(Instant.now()).as("index not built: %s", ready).isBefore(until);
      Thread.sleep(500);
    }
  }

  record Reply(int status, JsonNode body) {}

  static Reply get(String path, String token) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET(), token);
  }

  static Reply post(String path, String token) throws Exception {
    return postJson(path, token, "{}");
  }

  static Reply postJson(String path, String token, String body) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), token);
  }

  private static Reply send(HttpRequest.Builder b, String token) throws Exception {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + service.port() + path);
  }
}
