package dev.rebound.console;

import static java.util.concurrent.TimeUnit.SECONDS;

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
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the console runs against in its browser tests: the service as {@link Bootstrap} builds it
 * over the repository's own runbooks, knowledge and rebound.yaml (so similar incidents and
 * suggestions are the real ones), the demo platform the runbooks act on (random port, fast loops),
 * every runbook approved by bruno, and a token per person.
 * {@link #api} talks to the same service from Java, for the parts a scenario does not click.
 */
final class RecoveryStack implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  static final ObjectMapper JSON = new ObjectMapper();

  final Vertx vertx;
  final DemoPlatform demo;
  final Bootstrap.Running running;
  final Map<String, String> tokens = new HashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RecoveryStack(Vertx vertx, DemoPlatform demo, Bootstrap.Running running) {
    this.vertx = vertx;
    this.demo = demo;
    this.running = running;
  }

  static RecoveryStack start(TestDatabase db) throws Exception {
    long started = System.nanoTime();
    Vertx vertx = Vertx.vertx();
    try {
      // The demo's files live under the working directory (var/demo, ignored by git): the
      // registry records artifact paths relative to it, and the service resolves them from there.
      DemoPlatform demo = DemoPlatform.deploy(vertx, DemoSettings.of(db.url(), Path.of("")).withPort(0)
          .withTimings(DemoTimings.fast()).withEmbedder(new HashingEmbedder())).await(120, SECONDS);
      Map<String, String> env = new HashMap<>(demo.templateEnv());
      env.put("DATABASE_URL", db.urlText());
      env.put("REBOUND_HTTP_PORT", "0");
      // Drills inject faults into this demo, not into whatever answers at the default URL.
      env.put("REBOUND_DEMO_URL", demo.url());
      ReboundConfig config = ReboundConfig.from(env, REPO.resolve("rebound.yaml"));
      Workspace workspace = new Workspace(config, REPO.resolve("runbooks"), REPO.resolve("knowledge"));
      // Short retry back-offs: a failing step gives up in a second, not after its runbook's 10 s.
      EngineSettings engine = EngineSettings.defaults().withPollInterval(Duration.ofMillis(200))
          .withMaxBackoff(Duration.ofMillis(300));
      Bootstrap.Running running = Bootstrap.start(vertx, workspace, EmbeddingSettings.inProcess(), engine)
          .await(120, SECONDS);
      RecoveryStack stack = new RecoveryStack(vertx, demo, running);
      RunbookApprovalStore approvals = new RunbookApprovalStore(running.database().pool());
      for (Runbook r : workspace.loadRunbooks().runbooks()) {
        approvals.record(r.id(), r.version(), r.contentHash(), "bruno", "console tests").await(10, SECONDS);
      }
      TokenStore store = new TokenStore(running.database().pool());
      for (var person : Map.of("dmitri", Role.RESPONDER, "alice", Role.APPROVER, "bruno", Role.APPROVER,
          "grace", Role.VIEWER).entrySet()) {
        stack.tokens.put(person.getKey(), store.issue(person.getKey(), person.getValue(), "console test")
            .await(10, SECONDS).token());
      }
      stack.awaitIndexed();
      System.out.printf("console test stack ready in %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
      return stack;
    } catch (Exception e) {
      vertx.close().await(30, SECONDS);
      throw e;
    }
  }

  /**
   * Until the background indexing of the knowledge at start is done: similar incidents and
   * suggestions need it, and reporting an incident waits for it.
   */
  private void awaitIndexed() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    String ready = "";
    while (System.nanoTime() < deadline) {
      ready = http.send(HttpRequest.newBuilder(URI.create(url() + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if ("fresh".equals(JSON.readTree(ready).path("details").path("retrieval").path("index").asText())) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the knowledge was not indexed in time: " + ready);
  }

  String url() {
    return "http://127.0.0.1:" + running.port();
  }

  /** {@code body} null makes a GET. Returns the status and the parsed body. */
  Reply api(String person, String path, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + tokens.get(person));
    if (body != null) {
      b.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
  }

  record Reply(int status, JsonNode json) {}

  /** The run, once {@code until} holds (20 s at most). */
  JsonNode waitForRun(String runId, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode run = null;
    while (System.nanoTime() < deadline) {
      run = api("alice", "/api/runs/" + runId, null).json();
      if (until.test(run)) {
        return run;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + runId + " did not reach the expected state: " + run);
  }

  /** Approves the step awaiting approval as each person in turn (over the API, as they saw it). */
  void approveOverApi(String runId, String stepId, String... people) throws Exception {
    JsonNode run = waitForRun(runId, r -> stepId.equals(r.path("awaiting").path("step_id").asText()));
    String hash = run.path("awaiting").path("action_hash").asText();
    for (String person : people) {
      Reply r = api(person, "/api/runs/" + runId + "/steps/" + stepId + "/approve", Map.of("action_hash", hash));
      if (r.status() != 200) {
        throw new AssertionError(person + " could not approve " + stepId + ": " + r.json());
      }
    }
  }

  @Override
  public void close() throws Exception {
    running.database().close().await(30, SECONDS);
    vertx.close().await(30, SECONDS);
  }
}
