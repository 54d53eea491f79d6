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

  static final Path REPO = DrillStack.REPO;
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
    demo = DrillStack.demo(vertx, db, "drills-it-demo-token");
    workspace = DrillStack.workspace(db, demo, Map.of("REBOUND_ADMIN_TOKEN", ADMIN));
    service = startService();
    RunbookApprovalStore approvals = new RunbookApprovalStore(service.database().pool());
    for (Runbook r : workspace.loadRunbooks().runbooks()) {
      String by = r.author().equals("dmitri") ? "alice" : "dmitri";
      approvals.record(r.id(), r.version(), r.contentHash(), by, "drills IT").await(10, TimeUnit.SECONDS);
    }
    TokenStore tokens = new TokenStore(service.database().pool());
    approver = tokens.issue("alice", Role.APPROVER, "drills IT").await(10, TimeUnit.SECONDS).token();
    viewer = tokens.issue("esra", Role.VIEWER, "drills IT").await(10, TimeUnit.SECONDS).token();
    DrillStack.awaitIndex(service.port());
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

  @Test
  @Order(2)
  void aDrillWhoseRunbookCannotHealTheFaultFailsAndTheDemoSystemIsCleanAfterIt() throws Exception {
    JsonNode report = drill(FAILING);

    assertThat(report.path("status").asText()).as(report.toPrettyString()).isEqualTo("failed");
    // Rolling the model back does nothing for the gateway: the runbook's own invariant stops it.
    assertThat(report.path("failure").asText()).startsWith("step ")
        .contains("invariant 'the prediction gateway stays up'");
    assertThat(report.path("detection_ms").asLong()).isPositive();
    assertThat(report.path("recovery_ms").isNull()).isTrue();
    assertThat(report.path("run_state").asText()).as("no drill run is left waiting for a person").isEqualTo("aborted");
    assertThat(report.path("demo_reset").asBoolean()).isTrue();
    // The fault is gone: nothing active, the primary and the gateway answer again.
    JsonNode faults = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(demo.url() + "/demo/faults")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(faults.path("faults")).allMatch(f -> !f.path("active").asBoolean());
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(demo.url() + "/serving/health")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    assertThat(demo.faults().active()).isEmpty();
  }

  @Test
  @Order(3)
  void historyHasTheTrendAndSearchFlagsAFailedOrStaleRunbook() throws Exception {
    JsonNode byRunbook = get("/api/drills/history?runbook=model-rollback", viewer).body;
    assertThat(byRunbook.path("drills")).isNotEmpty().allMatch(d -> d.path("runbook_id").asText().equals("model-rollback"));
    assertThat(byRunbook.path("drills").get(0).path("scenario").asText()).isEqualTo(FAILING);
    assertThat(byRunbook.path("trend").path("direction").asText()).isNotEmpty();
    JsonNode byAsset = get("/api/drills/history?asset=serving.primary", viewer).body;
    assertThat(byAsset.path("drills")).anyMatch(d -> d.path("scenario").asText().equals(FAILING));
    assertThat(get("/api/drills/history?limit=0", viewer).status).isEqualTo(400);

    // Age the last drill of serving-failover (if any) beyond drills.max_age; never drilled counts as stale too.
    try (var c = db.jdbc(); var st = c.createStatement()) {
      st.executeUpdate("update drill_reports set started_at = started_at - interval '40 days',"
          + " finished_at = finished_at - interval '40 days' where runbook_id = 'serving-failover'");
    }
    JsonNode hits = get("/api/search?q=serving+primary+down+model+rollback+failover&kind=runbook&k=10", viewer)
        .body.path("hits");
    JsonNode rollback = hit(hits, "model-rollback");
    assertThat(rollback.path("drill").path("flagged").asBoolean()).as(rollback.toString()).isTrue();
    assertThat(rollback.path("drill").path("last_status").asText()).isEqualTo("failed");
    assertThat(rollback.path("drill").path("reason").asText()).startsWith("last drill failed: ");
    JsonNode failover = hit(hits, "serving-failover");
    assertThat(failover.path("drill").path("flagged").asBoolean()).as(failover.toString()).isTrue();
    assertThat(failover.path("drill").path("reason").asText()).matches("last drill is 4\\d days old.*|never drilled");

    // The incident page's (and the API's) runbook suggestions carry the same flag.
    String responder = new TokenStore(service.database().pool())
        .issue("dmitri", Role.RESPONDER, "drills IT").await(10, TimeUnit.SECONDS).token();
    Reply reported = postJson("/api/incidents", responder, "{\"title\": \"Ranker predictions constant after a new model"
        + " version, model artifact corrupted\", \"date\": \"2026-01-05T10:00:00Z\", \"severity\": \"sev1\","
        + " \"assets\": [\"models.ranker\"], \"symptoms\": [\"ModelChecksumMismatch\"]}");
    assertThat(reported.status).as(reported.body.toString()).isEqualTo(201);
    JsonNode suggested = get("/api/incidents/" + reported.body.path("id").asText() + "/runbooks?k=10", viewer)
        .body.path("runbooks");
    assertThat(suggested).as(suggested.toString()).isNotEmpty()
        .allMatch(r -> r.path("drill").path("reason").isTextual() && r.path("drill").has("flagged"));
    JsonNode suggestedRollback = hit(suggested, "model-rollback");
    assertThat(suggestedRollback.path("drill")).isEqualTo(rollback.path("drill"));
    // The runbook page's lookup: the same flag for one runbook, and a clear 400 without one.
    JsonNode flag = get("/api/drills/flags?runbook=model-rollback", viewer).body;
    assertThat(flag.path("runbook_id").asText()).isEqualTo("model-rollback");
    assertThat(flag.path("flagged").asBoolean()).isTrue();
    assertThat(flag.path("reason")).isEqualTo(rollback.path("drill").path("reason"));
    Reply noRunbook = get("/api/drills/flags", viewer);
    assertThat(noRunbook.status).isEqualTo(400);
    assertThat(noRunbook.body.toString()).contains("runbook must be given once");
  }

  private static JsonNode hit(JsonNode hits, String id) {
    for (JsonNode h : hits) {
      if (h.path("id").asText().equals(id)) {
        return h;
      }
    }
    throw new AssertionError("no hit " + id + " in " + hits);
  }

  @Test
  @Order(4)
  void theDrillIdentityCannotStartOrApproveALiveRunAndDrillsNeedTheApproverRole() throws Exception {
    TokenStore tokens = new TokenStore(service.database().pool());
    String drillToken = tokens.issue("drill", Role.APPROVER, "drills IT: a token in the drill bot's name")
        .await(10, TimeUnit.SECONDS).token();
    String responder = tokens.issue("dmitri", Role.RESPONDER, "drills IT").await(10, TimeUnit.SECONDS).token();
    String body = "{\"runbook_id\": \"model-rollback\", \"params\": {\"model_name\": \"ranker\", \"model_version\": \"11\"}}";

    assertThat(postJson("/api/runs", drillToken, body).status).as("the drill bot starts no live run").isEqualTo(403);
    Reply created = postJson("/api/runs", responder, body);
    assertThat(created.status).as(created.body.toString()).isIn(200, 201);
    String runId = created.body.path("id").asText();
    JsonNode awaiting = awaitApproval(runId, responder);
    String step = awaiting.path("step_id").asText();
    Reply refused = postJson("/api/runs/" + runId + "/steps/" + step + "/approve", drillToken,
        "{\"action_hash\": \"" + awaiting.path("action_hash").asText() + "\"}");
    assertThat(refused.status).as(refused.body.toString()).isEqualTo(403);
    assertThat(refused.body.toString()).contains("drill bot cannot approve");
    JsonNode after = get("/api/runs/" + runId, responder).body;
    assertThat(after.path("awaiting").path("what").asText()).isEqualTo("approval");
    assertThat(after.path("steps").get(0).path("approvals")).isEmpty();

    assertThat(post("/api/drills/kb-drift", viewer).status).as("starting a drill needs the approver role").isEqualTo(403);
    assertThat(post("/api/drills/no-such-scenario", approver).status).isEqualTo(404);
  }

  private static JsonNode awaitApproval(String runId, String token) throws Exception {
    Instant until = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      JsonNode view = get("/api/runs/" + runId, token).body;
      if (view.path("awaiting").path("what").asText().equals("approval")) {
        return view.path("awaiting");
      }
      assertThat(Instant.now()).as("run %s awaits no approval: %s", runId, view).isBefore(until);
      Thread.sleep(200);
    }
  }

  @Test
  @Order(5)
  void reportsSurviveARestartAndDrillsNeedADemoSystem() throws Exception {
    JsonNode before = get("/api/drills", viewer).body;
    String failedId = lastOf(before, FAILING).path("drill_id").asText();
    JsonNode report = get("/api/drills/reports/" + failedId, viewer).body;
    service.close().await(30, TimeUnit.SECONDS);

    // A new service on the same database, pointed at a demo URL where nothing answers.
    Map<String, String> env = new HashMap<>(demo.templateEnv());
    env.put("DATABASE_URL", db.urlText());
    env.put("REBOUND_HTTP_PORT", "0");
    env.put("REBOUND_ADMIN_TOKEN", ADMIN);
    env.put("REBOUND_DEMO_URL", "http://127.0.0.1:9");
    workspace = new Workspace(ReboundConfig.from(env, REPO.resolve("rebound.yaml")), REPO.resolve("runbooks"),
        REPO.resolve("knowledge"));
    service = startService();

    assertThat(get("/api/drills", viewer).body).isEqualTo(before);
    assertThat(get("/api/drills/reports/" + failedId, viewer).body).isEqualTo(report);
    Reply refused = post("/api/drills/kb-drift", approver);
    assertThat(refused.status).isEqualTo(503);
    assertThat(refused.body.path("error").path("message").asText()).contains("rebound serve --demo");
  }

  @Test
  @Order(6)
  void aDrillWhoseRunbookWouldActOnAnotherSystemIsRefusedBeforeAnythingBreaks() throws Exception {
    JsonNode before = get("/api/drills", viewer).body;
    service.close().await(30, TimeUnit.SECONDS);

    // The drill would break this demo system, while the runbook's RAG_URL names another server
    // (someone else's demo; in a configuration written for production, production).
    Map<String, String> env = new HashMap<>(demo.templateEnv());
    env.put("RAG_URL", "http://127.0.0.1:9/rag");
    env.put("DATABASE_URL", db.urlText());
    env.put("REBOUND_HTTP_PORT", "0");
    env.put("REBOUND_ADMIN_TOKEN", ADMIN);
    env.put("REBOUND_DEMO_URL", demo.url());
    workspace = new Workspace(ReboundConfig.from(env, REPO.resolve("rebound.yaml")), REPO.resolve("runbooks"),
        REPO.resolve("knowledge"));
    service = startService();

    Reply refused = post("/api/drills/kb-drift", approver);
    assertThat(refused.status).as(refused.body.toString()).isEqualTo(409);
    assertThat(refused.body.path("error").path("message").asText())
        .startsWith("drill kb-drift not started, nothing recorded: runbook rag-index-rebuild would act on"
            + " RAG_URL=http://127.0.0.1:9/rag, not on the demo system this drill breaks (" + demo.url() + ")");
    assertThat(get("/api/drills", viewer).body).isEqualTo(before);
    assertThat(demo.faults().active()).as("faults injected").isEmpty();
  }

  private static JsonNode lastOf(JsonNode list, String id) {
    for (JsonNode s : list.path("scenarios")) {
      if (s.path("id").asText().equals(id)) {
        return s.path("last");
      }
    }
    throw new AssertionError("no scenario " + id);
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
