package dev.rebound.agent;

import dev.rebound.testing.TestFiles;
import static java.util.concurrent.TimeUnit.SECONDS;

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
import dev.rebound.runbook.RunbookCatalog;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The whole service as {@link Bootstrap} builds it, over a copy of
 * {@code src/test/resources/agent-fixtures}, with the chat model pointed at {@link #model} (a
 * WireMock speaking the OpenAI protocol) and every runbook action and check at {@link #target}.
 * It can be restarted on the same database, with or without a model. Requests block the test
 * thread, so a scenario reads top to bottom.
 */
final class ScenarioService {
  static final Path BASE = Path.of(System.getProperty("basedir", "."));
  static final Path FIXTURES = BASE.resolve("src/test/resources/agent-fixtures");
  static final Path PROMPTS = BASE.resolve("prompts");
  static final String ADMIN_TOKEN = "admin-token-for-agent-scenarios-0123";
  static final String MODEL_KEY = "sk-agent-test-key-5b8e0f13c7";
  static final String SECRET = "agent-fixture-secret-41c9d7e2";
  static final Duration APPROVAL_TTL = Duration.ofSeconds(3);
  private static final long TIMEOUT_S = 60;

  final Vertx vertx;
  final TestDatabase db;
  final Path root;
  final WireMockServer model;
  final WireMockServer target;
  private final Map<String, String> tokens = new HashMap<>();
  private Bootstrap.Running running;
  private WebClient client;
  private boolean withModel;

  ScenarioService(Vertx vertx, TestDatabase db, Path tempDir, WireMockServer model, WireMockServer target)
      throws IOException {
    this.vertx = vertx;
    this.db = db;
    this.root = tempDir.resolve("content");
    this.model = model;
    this.target = target;
    TestFiles.copyTree(FIXTURES, root);
  }

  /** The settings every scenario runs with: short timeouts, the loop's one retry, small limits. */
  static AgentSettings settings(ReboundConfig config, boolean withModel) {
    AgentSettings s = AgentSettings.defaults(config.model(), PROMPTS)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20))
        .withRetries(0, 1, Duration.ofMillis(50))
        .withLimits(5, 50_000);
    return withModel ? s : s.withEndpoint(Optional.empty());
  }

  void start(boolean withModel) throws Exception {
    this.withModel = withModel;
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", db.urlText());
    env.put("REBOUND_HTTP_PORT", "0");
    env.put("REBOUND_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("FEATURES_URL", "http://127.0.0.1:" + target.port());
    env.put("REBOUND_OPENAI_BASE_URL", "http://127.0.0.1:" + model.port() + "/v1");
    env.put("REBOUND_OPENAI_API_KEY", MODEL_KEY);
    env.put("REBOUND_MODEL", "test-model");
    ReboundConfig config = ReboundConfig.from(env, root.resolve("rebound.yaml"));
    Workspace workspace = new Workspace(config, root.resolve("runbooks"), root.resolve("knowledge"));
    EngineSettings engine = EngineSettings.defaults().withApprovalTtl(APPROVAL_TTL)
        .withPollInterval(Duration.ofMillis(200)).withMaxBackoff(Duration.ofMillis(100));
    running = Bootstrap.start(vertx, workspace, EmbeddingSettings.inProcess(), engine, settings(config, withModel))
        .await(TIMEOUT_S, SECONDS);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(running.port()).setIdleTimeout(0));
  }

  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (running != null) {
      running.close().await(TIMEOUT_S, SECONDS);
    }
    running = null;
  }

  /** A new service instance on the same database (a restart), in the given mode. */
  void restart(boolean withModel) throws Exception {
    stop();
    start(withModel);
  }

  boolean withModel() {
    return withModel;
  }

  /** Records bruno's approval of the runbook's exact content, as `rebound runbooks approve` would. */
  void approveRunbook(String id) throws Exception {
    Runbook r = RunbookCatalog.load(root.resolve("runbooks")).get(id).orElseThrow();
    new RunbookApprovalStore(running.database().pool()).record(r.id(), r.version(), r.contentHash(), "bruno",
        "approved for the agent scenarios").await(TIMEOUT_S, SECONDS);
  }

  /** A bearer token for a person of team.yaml, with their role there (cached per person). */
  String token(String person) throws Exception {
    if (!tokens.containsKey(person)) {
      Role role = switch (person) {
        // "agent": a token someone issued to the agent's name with a high role; the engine must
        // still refuse everything it tries to approve.
        case "alice", "bruno", "carol", "agent" -> Role.APPROVER;
        case "grace" -> Role.VIEWER;
        default -> Role.RESPONDER;
      };
      tokens.put(person, new TokenStore(running.database().pool()).issue(person, role, "agent scenario")
          .await(TIMEOUT_S, SECONDS).token());
    }
    return tokens.get(person);
  }

  HttpResponse<Buffer> get(String path, String person) throws Exception {
    return send(request(HttpMethod.GET, path, person), null);
  }

  HttpResponse<Buffer> post(String path, String person, JsonObject body) throws Exception {
    return send(request(HttpMethod.POST, path, person), body);
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path, String person) throws Exception {
    HttpRequest<Buffer> request = client.request(method, path).timeout(TIMEOUT_S * 1000);
    return person == null ? request : request.bearerTokenAuthentication(token(person));
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) throws Exception {
    return (body == null ? request.send() : request.sendJsonObject(body)).await(TIMEOUT_S, SECONDS);
  }

}
