package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.FIXTURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.testing.TestDatabase;
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
  void serveDemoStartsTheDemoPlatformAndStopsIt(@TempDir Path demoDir) throws Exception {
    int demoPort = CliRunner.unusedPort();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CliRunner cli = CliRunner.in(FIXTURES, Map.of("DATABASE_URL", db.urlText(),
            "REBOUND_HTTP_PORT", String.valueOf(CliRunner.unusedPort()),
            "REBOUND_DEMO_PORT", String.valueOf(demoPort), "REBOUND_DEMO_DIR", demoDir.toString()))
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
      assertThat(get(demo + "/serving/health")).startsWith("200 ").contains("\"status\":\"ok\"");
      assertThat(get(demo + "/rag/health")).startsWith("200 ").contains("\"doc_count\":60");
      assertThat(Files.isRegularFile(demoDir.resolve("var/demo/models/ranker-v12.onnx"))).isTrue();
    } finally {
      stop.complete(null);
    }
    assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    assertThatThrownBy(() -> get("http://127.0.0.1:" + demoPort + "/serving/health")).isInstanceOf(IOException.class);
  }

  private String get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }
}
