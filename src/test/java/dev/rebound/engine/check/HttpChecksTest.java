package dev.rebound.engine.check;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.rebound.engine.TestJson.check;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.rebound.audit.Masker;
import dev.rebound.config.Datasource;
import dev.rebound.config.DatabaseUrl;
import dev.rebound.engine.target.Datasources;
import dev.rebound.engine.target.HttpTarget;
import dev.rebound.inventory.Asset;
import dev.rebound.inventory.AssetKind;
import dev.rebound.inventory.Lineage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks that need no database: http, latency, sha256, against WireMock and temp files. */
class HttpChecksTest {
  private static final String SECRET = "very-secret-token";
  private static final WireMockServer target = new WireMockServer(options().dynamicPort());
  private static final byte[] ARTIFACT = "onnx model bytes\n".repeat(1000).getBytes(StandardCharsets.UTF_8);

  @TempDir Path work;
  private CheckRunners runners;
  private final CheckContext ctx = CheckContext.of(Duration.ofSeconds(5));
  private final Map<String, Asset> assets = new java.util.HashMap<>();

  @BeforeAll
  static void start() {
    target.start();
  }

  @AfterAll
  static void stop() {
    target.stop();
  }

  @BeforeEach
  void setUp() {
    target.resetAll();
    Datasources none = new Datasources(DatabaseUrl.parse("test", "postgresql://u@localhost:1/x"), Map.<String, Datasource>of());
    runners = CheckRunners.standard(none, new HttpTarget(), work, id -> Optional.ofNullable(assets.get(id)),
        Masker.of(List.of(SECRET)));
  }

  private String url(String path) {
    return "http://localhost:" + target.port() + path;
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static Asset model(String id, String uri, String sha256) {
    return new Asset(id, id, AssetKind.MODEL, "ml", "", 1, Duration.ofMinutes(30), Duration.ofHours(1), List.of(),
        new Lineage(List.of(), new Lineage.Artifact(uri, sha256, "12"), null), List.of());
  }

  // http

  @Test
  void http_passes_when_status_body_and_json_pointers_match() {
    target.stubFor(get("/pipelines/ranker").willReturn(aResponse().withStatus(200)
        .withBody("{\"paused\": true, \"ref\": \"ranker@12\", \"version\": 12, \"jobs\": [{\"state\": \"idle\"}]}")));

    CheckResult result = runners.run(check("{check: 'http', name: 'pipeline paused', url: '" + url("/pipelines/ranker")
        + "', expect_body_contains: 'ranker@', expect_json: {'/paused': true, '/ref': 'ranker@12', '/version': '12',"
        + " '/jobs/0/state': 'idle'}}"), ctx);

    assertThat(result.passed()).isTrue();
    assertThat(result.kind()).isEqualTo("http");
    assertThat(result.name()).isEqualTo("pipeline paused");
    assertThat(result.observed()).isEqualTo("status 200, body contains it, /paused=true, /ref=ranker@12, /version=12,"
        + " /jobs/0/state=idle");
    assertThat(result.expected()).isEqualTo("status 200, body contains \"ranker@\", /paused=true, /ref=ranker@12,"
        + " /version=12, /jobs/0/state=idle");
  }

  @Test
  void http_fails_with_every_mismatch_named() {
    target.stubFor(get("/pipelines/ranker").willReturn(aResponse().withStatus(503).withBody("{\"paused\": false}")));

    CheckResult result = runners.run(check("{check: 'http', url: '" + url("/pipelines/ranker")
        + "', expect_json: {'/paused': true, '/missing': 1}}"), ctx);

    assertThat(result.passed()).isFalse();
    assertThat(result.name()).isEqualTo("http GET " + url("/pipelines/ranker"));
    assertThat(result.message()).isEqualTo(
        "status 503 is not 200; /paused is false, expected true; /missing is (missing), expected 1");
  }

  @Test
  void http_against_a_body_that_is_not_json_fails() {
    target.stubFor(get("/health").willReturn(aResponse().withStatus(200).withBody("OK")));

    CheckResult result = runners.run(check("{check: 'http', url: '" + url("/health") + "', expect_json: {'/ok': true}}"),
        ctx);

    assertThat(result.passed()).isFalse();
    assertThat(result.message()).isEqualTo("body is not JSON");
  }

  @Test
  void an_unreachable_target_is_a_failed_check_not_an_exception() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }

    CheckResult result = runners.run(check("{check: 'http', url: 'http://localhost:" + closed + "/health'}"), ctx);

    assertThat(result.passed()).isFalse();
    assertThat(result.observed()).isEqualTo("no response");
    assertThat(result.message()).contains("cannot connect");
  }

  @Test
  void a_slow_target_fails_within_the_timeout() {
    target.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(1_000)));
    long start = System.nanoTime();

    CheckResult result = runners.run(check("{check: 'http', url: '" + url("/slow") + "'}"),
        CheckContext.of(Duration.ofMillis(300)));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
    assertThat(result.passed()).isFalse();
    assertThat(result.message()).contains("timed out after 300ms");
  }

  @Test
  void results_are_masked() {
    target.stubFor(get("/t").willReturn(aResponse().withStatus(200).withBody("{\"token\": \"" + SECRET + "\"}")));

    CheckResult result = runners.run(check("{check: 'http', url: '" + url("/t") + "', expect_json: {'/token': 'x'}}"), ctx);

    assertThat(result.toString()).doesNotContain(SECRET);
    assertThat(result.observed()).isEqualTo("status 200, /token=***");
  }

  // latency

  @Test
  void latency_passes_when_p95_is_under_the_bound_and_reports_p50_and_p95() {
    target.stubFor(get("/canary").willReturn(aResponse().withStatus(200).withFixedDelay(60)));

    CheckResult result = runners.run(check("{check: 'latency', url: '" + url("/canary") + "', probes: 5, p95_max: '1s'}"),
        ctx);

    assertThat(result.passed()).isTrue();
    assertThat(result.observed()).matches("p95 \\d+ms, p50 \\d+ms \\(5 probes\\)");
    assertThat(result.expected()).isEqualTo("p95 at most 1s");
    assertThat(target.getAllServeEvents()).hasSize(5);
  }

  @Test
  void latency_fails_when_p95_is_over_the_bound() {
    target.stubFor(get("/canary").willReturn(aResponse().withStatus(200).withFixedDelay(60)));

    CheckResult result = runners.run(check("{check: 'latency', url: '" + url("/canary") + "', probes: 5, p95_max: '20ms'}"),
        ctx);

    assertThat(result.passed()).isFalse();
    int p95 = Integer.parseInt(result.observed().replaceAll("^p95 (\\d+)ms.*", "$1"));
    assertThat(p95).isGreaterThanOrEqualTo(60);
    assertThat(result.message()).startsWith("p95 " + p95 + "ms is above 20ms");
  }

  @Test
  void latency_fails_on_an_error_status_and_when_the_probes_run_out_of_time() {
    target.stubFor(get("/broken").willReturn(aResponse().withStatus(502)));
    target.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(150)));

    CheckResult broken = runners.run(check("{check: 'latency', url: '" + url("/broken") + "', p95_max: '1s'}"), ctx);
    CheckResult slow = runners.run(check("{check: 'latency', url: '" + url("/slow") + "', probes: 100, p95_max: '1s'}"),
        CheckContext.of(Duration.ofMillis(500)));

    assertThat(broken.passed()).isFalse();
    assertThat(broken.message()).startsWith("probe 1 returned 502");
    assertThat(slow.passed()).isFalse();
    assertThat(slow.message()).contains("timed out").contains("probe");
  }

  // sha256

  @Test
  void sha256_of_a_file_passes_when_it_matches_and_fails_showing_both_hashes() throws Exception {
    Files.write(work.resolve("model.onnx"), ARTIFACT);
    String good = sha256(ARTIFACT);
    String bad = "0".repeat(64);

    CheckResult pass = runners.run(check("{check: 'sha256', path: 'model.onnx', expected: '" + good + "'}"), ctx);
    CheckResult fail = runners.run(check("{check: 'sha256', path: '" + work.resolve("model.onnx") + "', expected: '"
        + bad + "'}"), ctx);

    assertThat(pass.passed()).isTrue();
    assertThat(pass.observed()).isEqualTo(good);
    // The file as resolved: which file a relative path named is what a failing check is about.
    assertThat(pass.message()).isEqualTo("matches (" + work.resolve("model.onnx") + ", " + ARTIFACT.length + " bytes)");
    assertThat(fail.passed()).isFalse();
    assertThat(fail.observed()).isEqualTo(good);
    assertThat(fail.expected()).isEqualTo(bad);
    assertThat(fail.message()).startsWith("does not match the recorded hash");
  }

  @Test
  void sha256_of_an_asset_uses_its_lineage_artifact_with_file_uris_relative_to_the_working_directory()
      throws Exception {
    Files.createDirectories(work.resolve("var/models"));
    Files.write(work.resolve("var/models/ranker-v12.onnx"), ARTIFACT);
    assets.put("models.ranker", model("models.ranker", "file:./var/models/ranker-v12.onnx", sha256(ARTIFACT)));
    assets.put("models.tampered", model("models.tampered", "file:./var/models/ranker-v12.onnx", "f".repeat(64)));
    assets.put("models.unhashed", model("models.unhashed", "file:./x", null));

    assertThat(runners.run(check("{check: 'sha256', asset: 'models.ranker'}"), ctx).passed()).isTrue();
    assertThat(runners.run(check("{check: 'sha256', asset: 'models.tampered'}"), ctx).passed()).isFalse();
    assertThat(runners.run(check("{check: 'sha256', asset: 'models.unknown'}"), ctx).message())
        .isEqualTo("asset 'models.unknown' is not in the inventory");
    assertThat(runners.run(check("{check: 'sha256', asset: 'models.unhashed'}"), ctx).message())
        .isEqualTo("asset 'models.unhashed' has no recorded sha256 for file:./x");
  }

  @Test
  void sha256_of_a_url_streams_the_body() throws Exception {
    target.stubFor(get("/artifacts/ranker-v12.onnx").willReturn(aResponse().withStatus(200).withBody(ARTIFACT)));
    target.stubFor(get("/artifacts/gone.onnx").willReturn(aResponse().withStatus(404)));
    assets.put("models.remote", model("models.remote", url("/artifacts/ranker-v12.onnx"), sha256(ARTIFACT)));

    CheckResult byUrl = runners.run(check("{check: 'sha256', url: '" + url("/artifacts/ranker-v12.onnx")
        + "', expected: '" + sha256(ARTIFACT) + "'}"), ctx);
    CheckResult byAsset = runners.run(check("{check: 'sha256', asset: 'models.remote'}"), ctx);
    CheckResult gone = runners.run(check("{check: 'sha256', url: '" + url("/artifacts/gone.onnx")
        + "', expected: '" + sha256(ARTIFACT) + "'}"), ctx);

    assertThat(byUrl.passed()).isTrue();
    assertThat(byAsset.passed()).isTrue();
    assertThat(gone.passed()).isFalse();
    assertThat(gone.message()).endsWith("returned 404");
  }

  @Test
  void sha256_of_a_missing_file_or_an_unsupported_uri_fails_with_the_reason() {
    assertThat(runners.run(check("{check: 'sha256', path: 'nope.bin', expected: '" + "a".repeat(64) + "'}"), ctx)
        .message()).endsWith("nope.bin does not exist");
    assets.put("models.s3", model("models.s3", "s3://bucket/model.onnx", "a".repeat(64)));
    assertThat(runners.run(check("{check: 'sha256', asset: 'models.s3'}"), ctx).message())
        .contains("only file: and http(s) artifacts can be hashed");
  }
}
