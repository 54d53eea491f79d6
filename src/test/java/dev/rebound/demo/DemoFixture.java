package dev.rebound.demo;

import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A demo platform for one test class: deployed on a random port against the class's
 * {@link TestDatabase}, files under a temporary directory, fast loop timings. The MiniLM embedder
 * and its cache are shared by every platform of the JVM, so the knowledge base is embedded once.
 */
final class DemoFixture implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  static final String TOKEN = "test-admin-token";

  final Vertx vertx;
  final DemoPlatform platform;
  final Path baseDir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private DemoFixture(Vertx vertx, DemoPlatform platform, Path baseDir) {
    this.vertx = vertx;
    this.platform = platform;
    this.baseDir = baseDir;
  }

  static DemoFixture start(TestDatabase db, Path baseDir) throws Exception {
    Vertx vertx = Vertx.vertx();
    DemoSettings settings = DemoSettings.of(db.url(), baseDir)
        .withPort(0)
        .withTimings(DemoTimings.fast())
        .withAdminToken(TOKEN);
    try {
      DemoPlatform platform = DemoPlatform.deploy(vertx, settings).await(120, TimeUnit.SECONDS);
      return new DemoFixture(vertx, platform, baseDir);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  String url(String path) {
    return platform.url() + path;
  }

  /** A reply: status and body (parsed when it is a JSON object). */
  record Response(int status, String body, Map<String, java.util.List<String>> headers) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  Response get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
  }

  Response post(String path, JsonObject body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode()));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  Response admin(String path, JsonObject body) throws Exception {
    return post(path, body, "X-Admin-Token", TOKEN);
  }

  private Response send(HttpRequest.Builder builder) throws Exception {
    HttpResponse<String> r = http.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body(), r.headers().map());
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
