package dev.rebound.http;

import dev.rebound.testing.TestFiles;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.rebound.app.Bootstrap;
import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.db.TokenStore;
import dev.rebound.engine.EngineSettings;
import dev.rebound.inventory.Role;
import dev.rebound.retrieval.EmbeddingSettings;
import dev.rebound.runbook.Runbook;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole run through HTTP against the service as Bootstrap builds it: create, approve each step
 * (two people for the high-risk one), execution against a WireMock target, validation, success;
 * the SSE stream sees the transitions as they happen; refusals over HTTP are audited.
 */
@ExtendWith(VertxExtension.class)
class RunRoutesIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  static final WireMockServer target = new WireMockServer(options().dynamicPort());
  static final Path FIXTURES = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/engine-fixtures");
  static final ObjectMapper JSON = new ObjectMapper();

  static Bootstrap.Running running;
  static WebClient client;
  static String dmitri;
  static String alice;
  static String bruno;
  static String grace;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path tempDir) throws Exception {
    target.start();
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"accepted\": true}")));
    target.stubFor(get("/happy/status").willReturn(aResponse().withStatus(200).withBody("{\"ok\": true}")));
    Path root = tempDir.resolve("content");
    TestFiles.copyTree(FIXTURES, root);
    ReboundConfig config = ReboundConfig.from(Map.of("DATABASE_URL", db.urlText(), "REBOUND_HTTP_PORT", "0",
        "TARGET_URL", "http://127.0.0.1:" + target.port()), root.resolve("rebound.yaml"));
    Workspace workspace = new Workspace(config, root.resolve("runbooks"), root.resolve("knowledge"));
    EngineSettings engine = EngineSettings.defaults().withLease(Duration.ofSeconds(2))
        .withPollInterval(Duration.ofMillis(200)).withMaxBackoff(Duration.ofMillis(10));
    running = Bootstrap.start(vertx, workspace, EmbeddingSettings.inProcess(), engine).await(60, SECONDS);
    RunbookApprovalStore approvals = new RunbookApprovalStore(running.database().pool());
    for (Runbook r : workspace.loadRunbooks().runbooks()) {
      approvals.record(r.id(), r.version(), r.contentHash(), "bruno", "route tests").await(10, SECONDS);
    }
    db.incidents("INC-RUNS-1", "INC-RUNS-OTHER");
    TokenStore tokens = new TokenStore(running.database().pool());
    dmitri = tokens.issue("dmitri", Role.RESPONDER, "t").await(10, SECONDS).token();
    alice = tokens.issue("alice", Role.APPROVER, "t").await(10, SECONDS).token();
    bruno = tokens.issue("bruno", Role.APPROVER, "t").await(10, SECONDS).token();
    grace = tokens.issue("grace", Role.VIEWER, "t").await(10, SECONDS).token();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(running.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    running.close().await(30, SECONDS);
    target.stop();
  }

  @Test
  void a_run_goes_from_creation_through_approvals_to_success_and_the_stream_sees_it_live(Vertx vertx)
      throws Exception {
    HttpResponse<Buffer> created = post("/api/runs", dmitri,
        new JsonObject().put("runbook_id", "happy").put("params", new JsonObject().put("snapshot", "snap-42")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonNode run = JSON.readTree(created.bodyAsString());
    String id = run.path("id").asText();
    assertThat(run.path("state").asText()).isEqualTo("proposed");
    assertThat(run.path("checks").get(0).path("phase").asText()).isEqualTo("precondition");
    assertThat(run.path("awaiting").path("step_id").asText()).isEqualTo("pause");

    List<String> events = new CopyOnWriteArrayList<>();
    HttpClient sse = vertx.createHttpClient();
    sse.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(running.port())
            .setURI("/api/runs/" + id + "/events").putHeader("Authorization", "Bearer " + grace))
        .compose(req -> req.send())
        .onSuccess(resp -> resp.handler(chunk -> {
          for (String line : chunk.toString().split("\n")) {
            if (line.startsWith("event: ")) {
              events.add(line.substring(7));
            }
          }
        }))
        .await(10, SECONDS);
    waitFor(() -> events.contains("snapshot"));

    // A viewer's attempt is refused and on the record.
    HttpResponse<Buffer> refused = post("/api/runs/" + id + "/steps/pause/approve", grace,
        new JsonObject().put("action_hash", hash(run, "pause")));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.bodyAsString()).as("an API caller's role comes from the token and team.yaml")
        .contains("grace has viewer (token) and viewer (team.yaml)");

    // The attempt, as the console and Slack send it, is bound too: another one is refused.
    HttpResponse<Buffer> otherAttempt = post("/api/runs/" + id + "/steps/pause/approve", alice,
        new JsonObject().put("action_hash", hash(run, "pause")).put("attempt", 2));
    assertThat(otherAttempt.statusCode()).as(otherAttempt.bodyAsString()).isEqualTo(409);
    assertThat(otherAttempt.bodyAsString()).contains("awaits approval of attempt 1, not the attempt 2 you reviewed");
    HttpResponse<Buffer> badAttempt = post("/api/runs/" + id + "/steps/pause/approve", alice,
        new JsonObject().put("action_hash", hash(run, "pause")).put("attempt", "1"));
    assertThat(badAttempt.statusCode()).isEqualTo(400);
    assertThat(badAttempt.bodyAsString()).contains("attempt must be a positive integer");

    HttpResponse<Buffer> approved = post("/api/runs/" + id + "/steps/pause/approve", alice,
        new JsonObject().put("action_hash", hash(run, "pause")).put("attempt", run.path("awaiting").path("attempt")
            .asInt()));
    assertThat(approved.statusCode()).as(approved.bodyAsString()).isEqualTo(200);
    JsonNode binding = JSON.readTree(approved.bodyAsString());
    assertThat(binding.path("content_hash").asText()).isEqualTo(run.path("content_hash").asText());
    assertThat(binding.path("targets").get(0).asText()).isEqualTo("svc.target");
    assertThat(binding.path("step_approved").asBoolean()).isTrue();

    JsonNode afterPause = waitForRun(id, v -> v.path("awaiting").path("step_id").asText().equals("restore"));
    JsonNode restore = afterPause.path("steps").get(1);
    assertThat(restore.path("action").path("headers").path("X-Token").asText()).isEqualTo("***");
    assertThat(afterPause.path("awaiting").path("approvals_required").asInt()).isEqualTo(2);
    assertThat(afterPause.path("awaiting").path("excluded").toString()).contains("dmitri");

    String restoreHash = restore.path("action_hash").asText();
    JsonNode first = JSON.readTree(post("/api/runs/" + id + "/steps/restore/approve", alice,
        new JsonObject().put("action_hash", restoreHash)).bodyAsString());
    assertThat(first.path("step_approved").asBoolean()).isFalse();
    assertThat(target.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/happy/restore")))).isEmpty();
    post("/api/runs/" + id + "/steps/restore/approve", bruno, new JsonObject().put("action_hash", restoreHash));

    JsonNode done = waitForRun(id, v -> v.path("state").asText().equals("succeeded"));
    assertThat(done.path("checks").toString()).contains("\"phase\":\"validation\"");
    waitFor(() -> events.contains("run.succeeded"));
    assertThat(events).containsSubsequence("snapshot", "approval.refused", "approval.refused", "step.approved",
        "step.started", "step.succeeded", "step.awaiting_approval", "approval.recorded", "step.approved", "step.started",
        "step.succeeded", "run.succeeded");

    var restoreCall = target.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/happy/restore")));
    assertThat(restoreCall).hasSize(1);
    assertThat(restoreCall.get(0).getHeader("Idempotency-Key")).isEqualTo(id + "/restore");
    assertThat(restoreCall.get(0).getHeader("X-Token")).isEqualTo("engine-fixture-secret-5d1f");
    assertThat(restoreCall.get(0).getBodyAsString()).contains("snap-42", "\"paused_by\":200");

    HttpResponse<Buffer> audit = client.get("/api/runs/" + id).bearerTokenAuthentication(grace).send().await(10, SECONDS);
    assertThat(audit.bodyAsString()).doesNotContain("engine-fixture-secret-5d1f");
    sse.close();
  }

  @Test
  void drill_runs_cannot_be_started_over_http_and_unknown_runs_are_404() throws Exception {
    HttpResponse<Buffer> bad = post("/api/runs", dmitri, new JsonObject().put("runbook_id", "happy")
        .put("params", new JsonObject().put("snapshot", "snap-1")).put("kind", "drill"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(client.get("/api/runs/run_000000000_nothing").bearerTokenAuthentication(grace).send()
        .await(10, SECONDS).statusCode()).isEqualTo(404);
    HttpResponse<Buffer> invalid = post("/api/runs", dmitri, new JsonObject().put("runbook_id", "happy")
        .put("params", new JsonObject().put("snapshot", "not-a-snapshot")));
    assertThat(invalid.statusCode()).isEqualTo(400);
    HttpResponse<Buffer> viewer = post("/api/runs", grace, new JsonObject().put("runbook_id", "happy"));
    assertThat(viewer.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> noRunbook = post("/api/runs", dmitri, new JsonObject().put("runbook_id", "nope"));
    assertThat(noRunbook.statusCode()).isEqualTo(404);
    HttpResponse<Buffer> noIncident = post("/api/runs", dmitri, new JsonObject().put("runbook_id", "happy")
        .put("params", new JsonObject().put("snapshot", "snap-1")).put("incident_id", "NOPE"));
    assertThat(noIncident.statusCode()).as("as an unknown runbook: 404").isEqualTo(404);
    assertThat(noIncident.bodyAsString()).contains("incident 'NOPE' not found");
    assertThat(JSON.readTree(client.get("/api/runs?incident=NOPE").bearerTokenAuthentication(grace).send()
        .await(10, SECONDS).bodyAsString()).path("runs").size()).as("no run was stored").isZero();
  }

  @Test
  void the_runs_of_an_incident_are_listed_for_a_viewer_oldest_first() throws Exception {
    JsonObject params = new JsonObject().put("snapshot", "snap-42");
    String first = JSON.readTree(post("/api/runs", dmitri, new JsonObject().put("runbook_id", "happy")
        .put("params", params).put("incident_id", "INC-RUNS-1")).bodyAsString()).path("id").asText();
    post("/api/runs", dmitri, new JsonObject().put("runbook_id", "happy").put("params", params)
        .put("incident_id", "INC-RUNS-OTHER"));
    String second = JSON.readTree(post("/api/runs", alice, new JsonObject().put("runbook_id", "happy")
        .put("params", params).put("incident_id", "INC-RUNS-1")).bodyAsString()).path("id").asText();

    HttpResponse<Buffer> listed = client.get("/api/runs?incident=INC-RUNS-1").bearerTokenAuthentication(grace).send()
        .await(10, SECONDS);

    assertThat(listed.statusCode()).as(listed.bodyAsString()).isEqualTo(200);
    JsonNode body = JSON.readTree(listed.bodyAsString());
    assertThat(body.path("incident_id").asText()).isEqualTo("INC-RUNS-1");
    assertThat(body.path("runs").findValuesAsText("id")).containsExactly(first, second);
    assertThat(body.path("runs").findValuesAsText("requested_by")).containsExactly("dmitri", "alice");
    assertThat(body.path("runs").get(0).path("proposed_by").isNull()).isTrue();
    JsonNode none = JSON.readTree(client.get("/api/runs?incident=INC-NOTHING").bearerTokenAuthentication(grace).send()
        .await(10, SECONDS).bodyAsString());
    assertThat(none.path("runs").size()).isZero();
    HttpResponse<Buffer> missing = client.get("/api/runs").bearerTokenAuthentication(grace).send().await(10, SECONDS);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.bodyAsString()).contains("incident is required");
    assertThat(client.get("/api/runs?incident=INC-RUNS-1").send().await(10, SECONDS).statusCode()).isEqualTo(401);
  }

  private static String hash(JsonNode run, String step) {
    for (JsonNode s : run.path("steps")) {
      if (s.path("id").asText().equals(step)) {
        return s.path("action_hash").asText();
      }
    }
    throw new AssertionError("no step " + step);
  }

  private static HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
    return client.post(path).bearerTokenAuthentication(token).sendJsonObject(body).await(30, SECONDS);
  }

  private static JsonNode waitForRun(String id, java.util.function.Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonNode view = JSON.readTree(client.get("/api/runs/" + id).bearerTokenAuthentication(grace).send()
          .await(10, SECONDS).bodyAsString());
      if (condition.test(view)) {
        return view;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached: " + view.toPrettyString());
      }
      Thread.sleep(50);
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached");
      }
      Thread.sleep(20);
    }
  }

}
