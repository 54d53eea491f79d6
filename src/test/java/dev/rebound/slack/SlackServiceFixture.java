package dev.rebound.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.rebound.app.Bootstrap;
import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.engine.EngineSettings;
import dev.rebound.retrieval.EmbeddingSettings;
import dev.rebound.runbook.Runbook;
import dev.rebound.testing.TestDatabase;
import dev.rebound.testing.TestFiles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service as Bootstrap builds it, for the Slack edge's integration tests: WireMock plays
 * Slack's Web API and the system the runbooks act on; requests are signed as Slack signs them (the
 * SDK's generator). Each test class that extends this gets its own database, service, fakes and
 * index (started before its first test, stopped after its last), so the classes do not depend on
 * each other or on the order they run in. Also the helpers the tests share.
 */
@ExtendWith(VertxExtension.class)
abstract class SlackServiceFixture {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  /** The service's copy of the fixtures, which a test may edit (and must put back). */
  static Path content;
  static final Path FIXTURES = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/slack-fixtures");
  static final String ADMIN = "admin-token-for-slack-tests-0123456789";
  static final String DMITRI = "U0DMITRI";
  static final String ALICE = "U0ALICE";
  static final String BRUNO = "U0BRUNO";
  static final String GRACE = "U0GRACE";

  static SlackFake slack;
  static WireMockServer target;
  static Bootstrap.Running running;
  static SignedRequests requests;
  static WebClient api;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path tempDir) throws Exception {
    slack = new SlackFake();
    target = new WireMockServer(options().dynamicPort());
    slack.start();
    target.start();
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"ok\": true}")));
    target.stubFor(get("/cache/status").willReturn(aResponse().withStatus(200).withBody("{\"fresh\": true}")));
    Path root = tempDir.resolve("content");
    TestFiles.copyTree(FIXTURES, root);
    content = root;
    Workspace workspace = workspace();
    running = replica(vertx);
    RunbookApprovalStore approvals = new RunbookApprovalStore(running.database().pool());
    for (Runbook r : workspace.loadRunbooks().runbooks()) {
      approvals.record(r.id(), r.version(), r.contentHash(), "bruno", "slack tests").await(10, SECONDS);
    }
    requests = new SignedRequests(vertx, running.port(), SignedRequests.SECRET);
    api = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(running.port()));
    long deadline = System.currentTimeMillis() + 120_000;
    while (!"fresh".equals(readiness().getString("index"))) {
      assertThat(System.currentTimeMillis()).as("index built: " + readiness()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    requests.close();
    api.close();
    running.close().await(30, SECONDS);
    slack.server.stop();
    target.stop();
  }

  // ---- helpers ----------------------------------------------------------------------------------------

  /**
   * The service as the class's {@link #running} one is started, on {@code vertx}: a second replica
   * over the same database, Slack and target when given a Vert.x instance of its own (each
   * replica's run events stay on its own event bus).
   */
  static Bootstrap.Running replica(Vertx vertx) throws Exception {
    EngineSettings engine = EngineSettings.defaults().withLease(Duration.ofSeconds(2))
        .withPollInterval(Duration.ofMillis(200)).withMaxBackoff(Duration.ofMillis(10));
    return Bootstrap.start(vertx, workspace(), EmbeddingSettings.inProcess(), engine).await(60, SECONDS);
  }

  private static Workspace workspace() {
    ReboundConfig config = ReboundConfig.from(Map.of("DATABASE_URL", db.urlText(), "REBOUND_HTTP_PORT", "0",
        "REBOUND_ADMIN_TOKEN", ADMIN, "SLACK_SIGNING_SECRET", SignedRequests.SECRET,
        "SLACK_BOT_TOKEN", "xoxb-test-bot-token", "SLACK_API_BASE_URL", slack.baseUrl(),
        "TARGET_URL", "http://127.0.0.1:" + target.port()), content.resolve("rebound.yaml"));
    return new Workspace(config, content.resolve("runbooks"), content.resolve("knowledge"));
  }

  static JsonObject readiness() throws Exception {
    HttpResponse<Buffer> ready = api.get("/health/ready").send().await(10, SECONDS);
    return ready.bodyAsJsonObject().getJsonObject("details").getJsonObject("retrieval");
  }

  static JsonNode getJson(String path) throws Exception {
    HttpResponse<Buffer> res = api.get(path).bearerTokenAuthentication(ADMIN).send().await(10, SECONDS);
    assertThat(res.statusCode()).as(path + ": " + res.bodyAsString()).isEqualTo(200);
    return SlackFake.JSON.readTree(res.bodyAsString());
  }

  static JsonNode json(String text) throws Exception {
    return SlackFake.JSON.readTree(text);
  }

  static String postedTs(String subject) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      String ts = postedTsOrNull(subject);
      if (ts != null && !ts.equals("pending")) {
        return ts;
      }
      assertThat(System.currentTimeMillis()).as("slack message for " + subject).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  static String postedTsOrNull(String subject) throws Exception {
    try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement(
        "select ts from slack_messages where subject = ?")) {
      s.setString(1, subject);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  static long audit(String action, String actor) throws Exception {
    try (Connection c = db.auditReader(); PreparedStatement s = c.prepareStatement(
        "select count(*) from audit_log where action = ? and actor_id = ?")) {
      s.setString(1, action);
      s.setString(2, actor);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  static List<String> incidents(String title) throws Exception {
    List<String> ids = new ArrayList<>();
    try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement("select id from incidents where title = ?")) {
      s.setString(1, title);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          ids.add(r.getString(1));
        }
      }
    }
    return ids;
  }

  static long incidentsTitled(String title) throws Exception {
    return incidents(title).size();
  }

  static List<String> awaitIncidentsTitled(String title, int count) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (incidents(title).size() < count) {
      assertThat(System.currentTimeMillis()).as("incident " + title).isLessThan(deadline);
      Thread.sleep(50);
    }
    return incidents(title);
  }

  static void awaitTarget(String path, int count) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (target.findAll(postRequestedFor(urlEqualTo(path))).size() < count) {
      assertThat(System.currentTimeMillis()).as("target call " + path).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
