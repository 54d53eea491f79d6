package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.FIXTURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.testing.TestDatabase;
import dev.rebound.testing.TestFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --demo} starts the demo production system beside Rebound and stops it with Rebound. */
class DemoServeIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void serveDemoStartsTheDemoPlatformAndStopsIt(@TempDir Path demoDir, @TempDir Path workspace) throws Exception {
    // The fixture workspace, its runbook acting on a demo service as the bundled ones do (its URL
    // defaulting to port 8090 in rebound.yaml).
    TestFiles.copyTree(FIXTURES, workspace);
    for (Path file : new Path[] {workspace.resolve("rebound.yaml"), workspace.resolve("runbooks/restart-shop.yaml")}) {
      Files.writeString(file, Files.readString(file).replace("SHOP_URL", "FEATURES_URL")
          .replace("http://localhost:1/shop", "http://localhost:8090/features"));
    }
    // Slack's links: rebound.yaml names the console at 8080, as the bundled one does.
    Path config = workspace.resolve("rebound.yaml");
    Files.writeString(config, Files.readString(config) + "slack:\n  console_url: \"http://127.0.0.1:8080\"\n");
    // A precondition that hashes a demo file by a relative path, as the registry and
    // knowledge/assets.yaml name them: relative to the demo's directory, not Rebound's.
    Path runbook = workspace.resolve("runbooks/restart-shop.yaml");
    Files.writeString(runbook, Files.readString(runbook).replace("steps:\n", """
        preconditions:
          - check: sha256
            path: ./var/demo/models/ranker-v12.onnx
            expected: 1f6cc03f4e104254e551d463c4a37e241703d23aba179b04e1c64a926db4c515
        steps:
        """));
    CliRunner.Result approved = CliRunner.in(workspace, Map.of("DATABASE_URL", db.urlText()))
        .run("runbooks", "approve", "restart-shop@2", "--approver", "ben");
    assertThat(approved.exit()).as(approved.toString()).isZero();
    int demoPort = CliRunner.unusedPort();
    int port = CliRunner.unusedPort();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CliRunner cli = CliRunner.in(workspace, Map.of("DATABASE_URL", db.urlText(),
            "REBOUND_HTTP_PORT", String.valueOf(port),
            "REBOUND_DEMO_PORT", String.valueOf(demoPort), "REBOUND_DEMO_DIR", demoDir.toString(),
            "SLACK_SIGNING_SECRET", "demo-signing-secret", "SLACK_BOT_TOKEN", "xoxb-demo",
            "SLACK_API_BASE_URL", "http://127.0.0.1:" + CliRunner.unusedPort()))
        .withLifetime(Lifetime.until(stop));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.run(out, err, "serve", "--demo"));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!out.toString().contains("Try it:")) {
        assertThat(exit.isDone() || System.nanoTime() > deadline)
            .as("serve --demo did not get ready\n--- stdout\n%s--- stderr\n%s", out, err).isFalse();
        Thread.sleep(100);
      }
      String demo = "http://127.0.0.1:" + demoPort;
      assertThat(out.toString()).contains("Demo platform listening on " + demo);
      // Slack's links lead to this console, on its port, not to rebound.yaml's 8080.
      assertThat(out.toString()).contains("slack on (its links lead to the console at http://127.0.0.1:" + port + ")");
      assertThat(get(demo + "/serving/health")).startsWith("200 ").contains("\"status\":\"ok\"");
      assertThat(get(demo + "/rag/health")).startsWith("200 ").contains("\"doc_count\":60");
      assertThat(Files.isRegularFile(demoDir.resolve("var/demo/models/ranker-v12.onnx"))).isTrue();
      // The runbooks act on this demo, on its port, not on whatever answers at 8090.
      String plan = get("http://127.0.0.1:" + port + "/api/runbooks/restart-shop/plan?reason=stuck", "demo-ana");
      assertThat(plan).startsWith("200 ").contains("\"" + demo + "/features/admin/drain\"").doesNotContain(":8090");
      String run = post("http://127.0.0.1:" + port + "/api/runs", "demo-cy",
          "{\"runbook_id\": \"restart-shop\", \"params\": {\"reason\": \"stuck\"}}");
      assertThat(run).as(run).startsWith("20");
      assertThat(preconditionResults()).singleElement().asString()
          .startsWith("true matches (" + demoDir.resolve("var/demo/models/ranker-v12.onnx") + ", ");
    } finally {
      stop.complete(null);
    }
    assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    assertThatThrownBy(() -> get("http://127.0.0.1:" + demoPort + "/serving/health")).isInstanceOf(IOException.class);
  }

  /** The run's precondition results, once recorded. */
  private static java.util.List<String> preconditionResults() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    java.util.List<String> rows;
    while ((rows = db.rows("select passed || ' ' || message from run_checks where phase = 'precondition'")).isEmpty()
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return rows;
  }

  private String post(String url, String token, String json) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  private String get(String url) throws Exception {
    return get(url, null);
  }

  private String get(String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }
}
