package dev.rebound.cli;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.rebound.cli.CliRunner.FIXTURES;
import static dev.rebound.cli.CliRunner.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlanCommandTest {
  private WireMockServer targets;
  private String base;
  private CliRunner cli;

  @BeforeEach
  void startTargets() {
    // Stands in for every service the runbooks act on: a dry run must send it nothing.
    targets = new WireMockServer(options().dynamicPort());
    targets.start();
    base = targets.baseUrl();
    cli = CliRunner.in(FIXTURES, CliRunner.offline(Map.of("SHOP_URL", base + "/shop")));
  }

  @AfterEach
  void stopTargets() {
    targets.stop();
  }

  @Test
  void printsTheStatusLineAndThePlanWithRenderedUrlsAndMaskedSecrets() {
    CliRunner.Result result = cli.run("plan", "restart-shop", "--param", "reason=disk full", "--no-status");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.outLines()).startsWith(
        "restart-shop v2: approval state unknown, active in staging",
        "",
        "PLAN restart-shop v2 (dry run: nothing is executed)");
    assertThat(result.out())
        .contains("params: reason=\"disk full\", drain_seconds=30")
        .contains("action:   POST " + base + "/shop/admin/drain  headers: Authorization: Bearer ***")
        .contains("rollback: POST " + base + "/shop/admin/undrain")
        .contains("GET " + base + "/shop/health")
        .doesNotContain("s3cret-token");
    assertThat(targets.getAllServeEvents()).isEmpty();
  }

  @Test
  void bundledRunbookPlansWithoutCallingAnyTarget() {
    Map<String, String> env = new HashMap<>();
    for (String name : new String[] {"FEATURES_URL", "REGISTRY_URL", "SERVING_URL", "SERVING_STANDBY_URL",
        "GATEWAY_URL", "RAG_URL", "PIPELINE_URL"}) {
      env.put(name, base + "/" + name.toLowerCase());
    }
    CliRunner repo = CliRunner.in(REPO, CliRunner.offline(env));

    CliRunner.Result result = repo.run("plan", "feature-store-restore", "--param", "snapshot_id=snap-0a1b2c3d");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.out())
        .contains("POST " + base + "/features_url/admin/ingest/pause")
        .contains("with $1=\"snap-0a1b2c3d\"");
    assertThat(result.errLines()).singleElement().asString()
        .startsWith("approval state unknown: database unreachable (");
    assertThat(targets.getAllServeEvents()).isEmpty();
  }

  @Test
  void badParamExitsOneNamingTheParam() {
    CliRunner.Result result = cli.run("plan", "restart-shop", "--param", "reason=disk",
        "--param", "drain_seconds=soon", "--param", "color=red", "--no-status");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).containsExactly(
        "rebound: param drain_seconds: \"soon\" is not an integer",
        "rebound: unknown param 'color' (known: reason, drain_seconds)");
  }

  @Test
  void missingRequiredParamIsNamed() {
    CliRunner.Result result = cli.run("plan", "restart-shop", "--no-status");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly("rebound: param reason: missing (it has no default)");
  }

  @Test
  void paramWithoutEqualsSignIsAUsageError() {
    CliRunner.Result result = cli.run("plan", "restart-shop", "--param", "reason", "--no-status");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).startsWith("--param expects NAME=VALUE, got 'reason'");
  }

  @Test
  void valuesMayContainEqualsSigns() {
    CliRunner.Result result = cli.run("plan", "restart-shop", "--param", "reason=a=b", "--no-status");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("params: reason=\"a=b\"");
  }

  @Test
  void jsonHasThePlanAndItsStatus() throws Exception {
    CliRunner.Result result = cli.run("plan", "restart-shop", "--param", "reason=disk", "--json", "--no-status");

    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(result.exit()).isZero();
    assertThat(json.path("runbook_id").asText()).isEqualTo("restart-shop");
    assertThat(json.path("dry_run").asBoolean()).isTrue();
    assertThat(json.path("steps")).hasSize(2);
    assertThat(json.at("/steps/0/action/url").asText()).isEqualTo(base + "/shop/admin/drain");
    assertThat(json.at("/status/approved").isNull()).isTrue();
    assertThat(json.at("/status/active").asBoolean()).isTrue();
    assertThat(json.at("/status/environment").asText()).isEqualTo("staging");
  }

  @Test
  void runbookWithLintErrorsIsRefusedWithItsFindings() {
    CliRunner.Result result = cli.run("plan", "bad/unknown-asset.yaml", "--no-status");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).containsExactly(
        "bad/unknown-asset.yaml:6:10: unknown asset 'svc.nope' (not in knowledge/assets.yaml)",
        "rebound: unknown-asset has 1 lint error: fix it before planning");
  }

  @Test
  void runbookFileThatDoesNotLoadShowsItsProblems() {
    CliRunner.Result result = cli.run("--runbooks", "bad", "plan", "wrong-type", "--no-status");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly("bad/wrong-type.yaml:2:10: version: must be an integer (got \"three\")");
  }

  @Test
  void unknownRunbookListsTheKnownOnes() {
    CliRunner.Result result = cli.run("plan", "nope", "--no-status");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly("rebound: runbook 'nope' not found in runbooks (known: restart-shop)");
  }
}
