package dev.rebound.http;

import dev.rebound.testing.TestFiles;
import static java.util.concurrent.TimeUnit.SECONDS;

import dev.rebound.app.Bootstrap;
import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.TokenStore;
import dev.rebound.inventory.Role;
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
import java.util.Map;

/**
 * The whole service as {@link Bootstrap#start} builds it, on a random port, over a copy of
 * {@code src/test/resources/http-fixtures} (so tests may edit runbook files) and a fresh
 * database. Requests block the test thread ({@code await}), so a scenario reads top to bottom.
 */
final class ServiceUnderTest {
  static final Path FIXTURES =
      Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/http-fixtures");
  static final String ADMIN_TOKEN = "admin-token-for-route-tests-0123456789";
  private static final long TIMEOUT_SECONDS = 30;

  private final Path root;
  private final Bootstrap.Running running;
  private final WebClient client;

  private ServiceUnderTest(Path root, Bootstrap.Running running, WebClient client) {
    this.root = root;
    this.running = running;
    this.client = client;
  }

  static ServiceUnderTest start(Vertx vertx, TestDatabase db, Path tempDir) throws Exception {
    return start(vertx, db.urlText(), tempDir);
  }

  /** As above, reaching the (already migrated) database through {@code databaseUrl}, e.g. a {@link TcpRelay}. */
  static ServiceUnderTest start(Vertx vertx, String databaseUrl, Path tempDir) throws Exception {
    Path root = tempDir.resolve("content");
    TestFiles.copyTree(FIXTURES, root);
    ReboundConfig config = ReboundConfig.from(
        Map.of("DATABASE_URL", databaseUrl, "REBOUND_HTTP_PORT", "0", "REBOUND_ADMIN_TOKEN", ADMIN_TOKEN),
        root.resolve("rebound.yaml"));
    Workspace workspace = new Workspace(config, root.resolve("runbooks"), root.resolve("knowledge"));
    Bootstrap.Running running = Bootstrap.start(vertx, workspace).await(TIMEOUT_SECONDS, SECONDS);
    WebClient client = WebClient.create(vertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(running.port()));
    return new ServiceUnderTest(root, running, client);
  }

  /** Closes the database pool; the Vert.x instance belongs to the test extension. */
  void stop() throws Exception {
    client.close();
    running.database().close().await(TIMEOUT_SECONDS, SECONDS);
  }

  /** A bearer token issued to {@code personId} with {@code role}. */
  String token(String personId, Role role) throws Exception {
    return new TokenStore(running.database().pool())
        .issue(personId, role, "route test").await(TIMEOUT_SECONDS, SECONDS).token();
  }

  /** Every route the server mounted. */
  java.util.List<io.vertx.ext.web.Route> routes() {
    return running.http().routes();
  }

  /** A runbook file of the copied content, to edit. */
  Path runbookFile(String id) {
    return root.resolve("runbooks").resolve(id + ".yaml");
  }

  /** {@code token} null sends no Authorization header. */
  HttpResponse<Buffer> get(String path, String token) throws Exception {
    return send(request(HttpMethod.GET, path, token), null);
  }

  HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
    return send(request(HttpMethod.POST, path, token), body);
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> request = client.request(method, path);
    return token == null ? request : request.bearerTokenAuthentication(token);
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) throws Exception {
    return (body == null ? request.send() : request.sendJsonObject(body)).await(TIMEOUT_SECONDS, SECONDS);
  }

}
