package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.FIXTURES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.testing.TestDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} in-process, stopped through its {@link Lifetime} instead of a signal. */
class ServeCommandIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @TempDir static Path demoDir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void demoTokensWorkInDemoModeAndAreRevokedByTheNextNormalStart() throws Exception {
    try (ServingCli demo = serve("Try it:", "serve", "--demo")) {
      assertThat(demo.out()).contains(
          "Rebound listening on " + demo.url() + " (environment staging)",
          "loaded 1 runbook from runbooks and 4 assets from knowledge",
          "slack off (set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to turn it on); agent in guided mode (no LLM: set"
              + " REBOUND_OPENAI_BASE_URL and REBOUND_MODEL for one)",
          "  restart-shop v2: NOT APPROVED, active in staging",
          "  demo-ana  ana     approver",
          "  demo-cy   cy      responder",
          "curl -s -H 'Authorization: Bearer demo-ana' " + demo.url() + "/api/runbooks");
      assertThat(whoami(demo.url(), "demo-ben")).isEqualTo("200 {\"identity\":\"ben\",\"role\":\"approver\",\"via\":\"api_token\"}");
      assertThat(demo.stop()).isZero();
      assertThat(demo.err()).contains("rebound: stopping", "rebound: stopped");
    }

    try (ServingCli normal = serve("Rebound listening", "serve")) {
      assertThat(whoami(normal.url(), "demo-ben")).startsWith("401 ");
      assertThat(normal.err()).contains("rebound: revoked 3 demo tokens left from an earlier --demo run");
      assertThat(normal.out()).doesNotContain("demo-");
      assertThat(normal.stop()).isZero();
    }
  }

  @Test
  void aSecondDemoStartThatCannotListenLeavesTheRunningDemosTokensWorking() throws Exception {
    try (ServingCli demo = serve("Try it:", "serve", "--demo")) {
      CliRunner second = CliRunner.in(FIXTURES, Map.of("DATABASE_URL", db.urlText(),
          "REBOUND_HTTP_PORT", demo.url().substring(demo.url().lastIndexOf(':') + 1),
          "REBOUND_DEMO_PORT", "0", "REBOUND_DEMO_DIR", demoDir.toString()));

      CliRunner.Result result = second.run("serve", "--demo");

      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.err()).contains("address already in use");
      // Before: the failed start had revoked every demo token, the running demo's included.
      assertThat(whoami(demo.url(), "demo-ben")).startsWith("200 ");
    }
  }

  @Test
  void takenPortFailsWithAClearMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CliRunner cli = CliRunner.in(FIXTURES, Map.of("DATABASE_URL", db.urlText(),
          "REBOUND_HTTP_PORT", String.valueOf(taken.getLocalPort())));

      CliRunner.Result result = cli.run("serve");

      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.errLines()).contains("rebound: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + ": address already in use (another server on that port? set REBOUND_HTTP_PORT)");
      assertThat(result.err()).doesNotContain("\tat ");
    }
  }

  @Test
  void takenDemoPortIsNamedAsTheDemoPortNotRebounds() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int free = CliRunner.unusedPort();
      CliRunner cli = CliRunner.in(FIXTURES, Map.of("DATABASE_URL", db.urlText(), "REBOUND_HTTP_PORT",
          String.valueOf(free), "REBOUND_DEMO_PORT", String.valueOf(taken.getLocalPort()),
          "REBOUND_DEMO_DIR", demoDir.toString()));

      CliRunner.Result result = cli.run("serve", "--demo");

      assertThat(result.exit()).isEqualTo(1);
      // Before: "cannot listen on 127.0.0.1:<the free HTTP port>: address already in use".
      assertThat(result.errLines()).containsExactly("rebound: cannot start the demo platform on 127.0.0.1:"
          + taken.getLocalPort() + ": address already in use (set REBOUND_DEMO_PORT)");
    }
  }

  private String whoami(String url, String token) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(url + "/api/whoami")).header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  /** {@code serve} over the CLI fixtures; with --demo, its demo on a free port, its files in a temporary directory. */
  private static ServingCli serve(String readyText, String... args) throws Exception {
    return ServingCli.start(FIXTURES, Map.of("DATABASE_URL", db.urlText(), "REBOUND_DEMO_PORT", "0",
        "REBOUND_DEMO_DIR", demoDir.toString()), readyText, args);
  }
}
