package dev.rebound.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.Database;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.db.TokenStore;
import dev.rebound.inventory.Role;
import dev.rebound.runbook.Runbook;
import dev.rebound.testing.TestDatabase;
import dev.rebound.testing.TestFiles;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} stopped (through its {@link Lifetime}, as SIGTERM stops it) while a step's action
 * waits for a slow target: the stop waits up to {@code REBOUND_SHUTDOWN_GRACE} for the step to
 * end and record its outcome, so a restart does not run it again; a step that outlasts the grace
 * is left running under its lease, as a crash leaves it, and the next start recovers it. The
 * step is {@code recover-idem}'s {@code work} (idempotent: recovery would run it again).
 */
class ServeGracefulStopIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  static final WireMockServer target = new WireMockServer(options().dynamicPort());
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path ENGINE_FIXTURES = CliRunner.REPO.resolve("src/test/resources/engine-fixtures");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Path root;
  static String dmitri;
  static String alice;

  @BeforeAll
  static void setUp(@TempDir Path tempDir) throws Exception {
    target.start();
    target.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200).withBody("{}")));
    root = tempDir.resolve("content");
    TestFiles.copyTree(ENGINE_FIXTURES, root);
    Vertx vertx = Vertx.vertx();
    try {
      Database database = db.database(vertx).await(30, SECONDS);
      ReboundConfig config = ReboundConfig.from(Map.of("DATABASE_URL", db.urlText()), root.resolve("rebound.yaml"));
      Workspace workspace = new Workspace(config, root.resolve("runbooks"), root.resolve("knowledge"));
      RunbookApprovalStore approvals = new RunbookApprovalStore(database.pool());
      for (Runbook r : workspace.loadRunbooks().runbooks()) {
        approvals.record(r.id(), r.version(), r.contentHash(), "bruno", "graceful stop tests").await(10, SECONDS);
      }
      TokenStore tokens = new TokenStore(database.pool());
      dmitri = tokens.issue("dmitri", Role.RESPONDER, "graceful stop").await(10, SECONDS).token();
      alice = tokens.issue("alice", Role.APPROVER, "graceful stop").await(10, SECONDS).token();
      database.close().await(10, SECONDS);
    } finally {
      vertx.close().await(10, SECONDS);
    }
  }

  @AfterAll
  static void tearDown() {
    target.stop();
  }

  @Test
  void aStopWaitsForTheExecutingStepToRecordItsOutcomeAndTheRestartRunsNothingAgain() throws Exception {
    StubMapping slow = slowTarget("/recover-idem/1", Duration.ofSeconds(2));
    String runId;
    try (ServingCli first = serve("20s")) {
      runId = startAndApprove(first, 1);

      assertThat(first.stop()).isZero();

      // Before: the stop did not wait; the step stayed running and its action's outcome was lost.
      assertThat(first.err()).contains(
          "rebound: stopping: waiting up to 20s for 1 executing step (run " + runId + " step work)");
      assertThat(first.err()).doesNotContain("left to lease recovery");
    }
    target.removeStub(slow);
    assertThat(stepState(runId)).isEqualTo("succeeded");
    assertThat(audit(runId)).containsOnlyOnce("step.started", "step.action_completed");
    assertThat(target.findAll(postRequestedFor(urlEqualTo("/recover-idem/1")))).hasSize(1);

    try (ServingCli second = serve("20s")) {
      Thread.sleep(2500); // the 1 s lease would have expired and the 100 ms poller found it
      long t0 = System.nanoTime();
      assertThat(second.stop()).isZero();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);

      assertThat(took).as("a stop with nothing executing does not wait for the grace").isLessThan(Duration.ofSeconds(5));
      assertThat(second.err()).contains("rebound: stopping", "rebound: stopped").doesNotContain("waiting up to");
    }
    assertThat(audit(runId)).doesNotContain("step.resumed").containsOnlyOnce("step.started");
    assertThat(target.findAll(postRequestedFor(urlEqualTo("/recover-idem/1")))).hasSize(1);
  }

  @Test
  void aStepThatOutlastsTheGraceIsLeftToLeaseRecoveryNotFailedByTheStop() throws Exception {
    StubMapping slow = slowTarget("/recover-idem/2", Duration.ofSeconds(5));
    String runId;
    try (ServingCli first = serve("500ms")) {
      runId = startAndApprove(first, 2);

      assertThat(first.stop()).isZero();

      assertThat(first.err()).contains(
          "rebound: stopping: waiting up to 500ms for 1 executing step (run " + runId + " step work)",
          "rebound: stopping: 1 step still executing after 500ms, left to lease recovery after the restart (run "
              + runId + " step work)");
    }
    target.removeStub(slow);
    assertThat(stepState(runId)).isEqualTo("running");
    assertThat(audit(runId)).doesNotContain("step.failed", "step.action_completed");

    try (ServingCli second = serve("20s")) {
      waitFor(() -> stepState(runId), "succeeded"::equals);
      assertThat(second.stop()).isZero();
    }
    assertThat(audit(runId)).contains("step.resumed").doesNotContain("step.failed");
  }

  private ServingCli serve(String grace) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", db.urlText(),
        "TARGET_URL", "http://127.0.0.1:" + target.port(),
        "REBOUND_ENGINE_LEASE", "1s", "REBOUND_ENGINE_POLL_INTERVAL", "100ms",
        "REBOUND_SHUTDOWN_GRACE", grace,
        // Embeddings at a closed port: the background index fails fast instead of loading the model.
        "REBOUND_EMBEDDING_MODEL", "graceful-stop-none", "REBOUND_OPENAI_BASE_URL", "http://127.0.0.1:9/v1"));
    return ServingCli.start(root, env, "Rebound listening", "serve");
  }

  private static StubMapping slowTarget(String path, Duration delay) {
    return target.stubFor(any(urlEqualTo(path)).atPriority(1)
        .willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay((int) delay.toMillis())));
  }

  /** Starts a recover-idem run, approves its step as a person would, and returns once the step executes. */
  private String startAndApprove(ServingCli serving, int n) throws Exception {
    JsonNode created = call(serving, "/api/runs", dmitri, "{\"runbook_id\": \"recover-idem\", \"params\": {\"n\": " + n + "}}");
    String runId = created.path("id").asText();
    assertThat(runId).as(created.toString()).isNotEmpty();
    waitFor(() -> stepState(runId), "awaiting_approval"::equals);
    String hash = db.rows("select action_hash from run_steps where run_id = '" + runId + "' and step_id = 'work'").get(0);
    JsonNode approved = call(serving, "/api/runs/" + runId + "/steps/work/approve", alice,
        "{\"action_hash\": \"" + hash + "\"}");
    waitFor(() -> stepState(runId), "running"::equals);
    assertThat(approved.toString()).doesNotContain("\"error\"");
    return runId;
  }

  private JsonNode call(ServingCli serving, String path, String token, String body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(serving.url() + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static String stepState(String runId) throws Exception {
    return db.rows("select state from run_steps where run_id = '" + runId + "' and step_id = 'work'").get(0);
  }

  private interface Read {
    String get() throws Exception;
  }

  private static void waitFor(Read read, Predicate<String> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = read.get();
    while (!done.test(last)) {
      assertThat(System.nanoTime()).as("still %s", last).isLessThan(deadline);
      Thread.sleep(50);
      last = read.get();
    }
  }

  private static List<String> audit(String runId) throws Exception {
    return db.auditActions(runId);
  }
}
