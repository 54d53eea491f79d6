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
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * the SSE stream sees the transitions as they happen; refusals over HTTP are audited; a caller's
 * open streams are capped (here at {@link #STREAMS_PER_CALLER}).
 */
@ExtendWith(VertxExtension.class)
class RunRoutesIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  static final WireMockServer target = new WireMockServer(options().dynamicPort());
  static final Path FIXTURES = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/engine-fixtures");
  static final ObjectMapper JSON = new ObjectMapper();
  static final int STREAMS_PER_CALLER = 3;

  static Bootstrap.Running running;
  static WebClient client;
  static String dmitri;
  static String alice;
  static String bruno;
  static String grace;
  static String hana;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path tempDir) throws Exception {
    target.start();
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"accepted\": true}")));
    target.stubFor(get("/happy/status").willReturn(aResponse().withStatus(200).withBody("{\"ok\": true}")));
    Path root = tempDir.resolve("content");
    TestFiles.copyTree(FIXTURES, root);
    ReboundConfig config = ReboundConfig.from(Map.of("DATABASE_URL", db.urlText(), "REBOUND_HTTP_PORT", "0",
        "TARGET_URL", "http://127.0.0.1:" + target.port(), "REBOUND_STREAMS_PER_CALLER", String.valueOf(STREAMS_PER_CALLER)),
        root.resolve("rebound.yaml"));
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
    hana = tokens.issue("hana", Role.VIEWER, "t").await(10, SECONDS).token();
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

  @Test
  void a_viewer_gets_429_beyond_the_streams_allowed_and_a_closed_or_dropped_stream_frees_its_slot(Vertx vertx)
      throws Exception {
    String id = JSON.readTree(post("/api/runs", dmitri, new JsonObject().put("runbook_id", "happy")
        .put("params", new JsonObject().put("snapshot", "snap-42"))).bodyAsString()).path("id").asText();
    HttpClient sse = vertx.createHttpClient(new HttpClientOptions(),
        new PoolOptions().setHttp1MaxSize(STREAMS_PER_CALLER * 3));
    List<Stream> open = new ArrayList<>();
    for (int i = 0; i < STREAMS_PER_CALLER; i++) {
      open.add(stream(sse, id, hana));
      assertThat(open.get(i).status()).isEqualTo(200);
    }

    Stream refused = stream(sse, id, hana);
    assertThat(refused.status()).isEqualTo(429);
    JsonObject error = refused.refusal().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("too_many_requests");
    assertThat(error.getString("message")).isEqualTo("hana has 3 event streams open, the most one caller may have"
        + " (REBOUND_STREAMS_PER_CALLER=3): close one before opening another");
    Stream someoneElse = stream(sse, id, dmitri);
    assertThat(someoneElse.status()).as("the cap is per caller").isEqualTo(200);
    someoneElse.close();

    // A client that closes its connection frees the slot.
    open.remove(0).close();
    Socket dropped = new Socket();
    waitFor(() -> rawStream(dropped, id, hana));
    // One that just vanishes (the connection reset, nothing said) frees it too.
    dropped.setSoLinger(true, 0);
    dropped.close();
    waitFor(() -> stream(sse, id, hana).status() == 200);
    sse.close().await(10, SECONDS);
  }

  /** An event stream left open (200), or a refusal with its JSON body read. */
  private record Stream(HttpClientResponse response, JsonObject refusal) {
    int status() {
      return response.statusCode();
    }

    void close() throws Exception {
      response.request().connection().close().await(10, SECONDS);
    }
  }

  private static Stream stream(HttpClient sse, String runId, String token) {
    try {
      return sse.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(running.port())
            .setURI("/api/runs/" + runId + "/events").putHeader("Authorization", "Bearer " + token))
        .compose(req -> req.send())
        .compose(resp -> resp.statusCode() == 200
            // The test closes streams: the client's "connection closed" is expected, not worth a log line.
            ? io.vertx.core.Future.succeededFuture(new Stream(resp.exceptionHandler(closed -> { }), null))
            : resp.body().map(body -> new Stream(resp, body.toJsonObject())))
        .await(10, SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer to GET /api/runs/" + runId + "/events within 10 s", e);
    }
  }

  /** Opens an event stream on a plain socket; whether the server answered 200 (the socket is left open then). */
  private static boolean rawStream(Socket socket, String runId, String token) {
    try {
      if (!socket.isConnected()) {
        socket.connect(new InetSocketAddress("127.0.0.1", running.port()), 5000);
      }
      socket.getOutputStream().write(("GET /api/runs/" + runId + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      BufferedReader reader = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String status = reader.readLine();
      if (status.contains(" 200 ")) {
        return true;
      }
      // A refusal's body is short: read past it (keep-alive) before the next try.
      long length = 0;
      for (String line = reader.readLine(); !line.isEmpty(); line = reader.readLine()) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Long.parseLong(line.substring(15).trim());
        }
      }
      reader.skip(length);
      return false;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
