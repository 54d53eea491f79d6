package dev.rebound.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import dev.rebound.demo.DemoPlatform;
import dev.rebound.demo.DemoSettings;
import dev.rebound.demo.DemoTimings;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the drill ITs run against: a demo production system with its fast loop timings, and the
 * bundled runbooks, knowledge and rebound.yaml pointed at it, with drills' waits scaled by 0.05.
 * The demo's files live under the working directory ({@code var/demo}, ignored by git).
 */
final class DrillStack {
  static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

  private DrillStack() {}

  static DemoPlatform demo(Vertx vertx, TestDatabase db, String adminToken) throws Exception {
    return DemoPlatform.deploy(vertx, DemoSettings.of(db.url(), Path.of("").toAbsolutePath()).withPort(0)
        .withTimings(DemoTimings.fast()).withAdminToken(adminToken)).await(120, TimeUnit.SECONDS);
  }

  /** The bundled content on {@code db}, its runbooks and drills acting on {@code demo}; {@code more} on top. */
  static Workspace workspace(TestDatabase db, DemoPlatform demo, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(demo.templateEnv());
    env.put("DATABASE_URL", db.urlText());
    env.put("REBOUND_HTTP_PORT", "0");
    env.put("REBOUND_DEMO_URL", demo.url());
    env.put("REBOUND_DRILL_WAIT_SCALE", "0.05");
    env.putAll(more);
    return new Workspace(ReboundConfig.from(env, REPO.resolve("rebound.yaml")), REPO.resolve("runbooks"),
        REPO.resolve("knowledge"));
  }

  /** Until the service on {@code port} has built its search index (drills record what search finds). */
  static void awaitIndex(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant until = Instant.now().plus(Duration.ofMinutes(3));
    while (true) {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).GET()
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      var ready = new ObjectMapper().readTree(body);
      if (ready.path("details").path("retrieval").path("index").asText().equals("fresh")) {
        return;
      }
      assertThat(Instant.now()).as("index not built: %s", ready).isBefore(until);
      Thread.sleep(500);
    }
  }
}
