package dev.rebound.engine.action;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.rebound.engine.TestJson.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.rebound.audit.Masker;
import dev.rebound.engine.target.HttpTarget;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpActionExecutorTest {
  private static final String SECRET = "tok-s3cr3t-value";
  private static final WireMockServer target = new WireMockServer(options().dynamicPort());

  private final HttpActionExecutor executor = new HttpActionExecutor(new HttpTarget(), Masker.of(List.of(SECRET)));
  private final ActionContext ctx = ActionContext.of("run-1", "pause", 1, "run-1/pause", Duration.ofSeconds(5));

  @BeforeAll
  static void start() {
    target.start();
  }

  @AfterAll
  static void stop() {
    target.stop();
  }

  @BeforeEach
  void reset() {
    target.resetAll();
  }

  private String url(String path) {
    return "http://localhost:" + target.port() + path;
  }

  @Test
  void sends_the_idempotency_key_the_headers_and_the_json_body() {
    target.stubFor(post("/admin/pause").willReturn(aResponse().withStatus(200)));

    executor.execute(action("{type: 'http', method: 'POST', url: '" + url("/admin/pause") + "',"
        + " headers: {'X-Admin-Token': 'abc'}, body: {reason: 'incident 42', n: 3}}"), ctx);

    target.verify(postRequestedFor(urlEqualTo("/admin/pause"))
        .withHeader("Idempotency-Key", equalTo("run-1/pause"))
        .withHeader("X-Admin-Token", equalTo("abc"))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson("{\"reason\": \"incident 42\", \"n\": 3}")));
  }

  @Test
  void the_engine_key_replaces_an_idempotency_key_written_in_the_runbook() {
    target.stubFor(get("/x").willReturn(aResponse().withStatus(204)));

    executor.execute(action("{type: 'http', url: '" + url("/x") + "', headers: {'idempotency-key': 'mine'}}"), ctx);

    target.verify(getRequestedFor(urlEqualTo("/x")).withHeader("Idempotency-Key", equalTo("run-1/pause")));
  }

  @Test
  void output_is_the_status_and_the_top_level_fields_of_a_json_reply_with_the_status_winning() {
    target.stubFor(get("/models/ranker/deployment").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"version\": 12, \"ref\": \"ranker@12\", \"status\": \"deployed\", \"nested\": {\"a\": [1]}}")));

    ActionOutcome outcome = executor.execute(action("{type: 'http', url: '" + url("/models/ranker/deployment") + "'}"), ctx);

    assertThat(outcome.output().get("status").intValue()).isEqualTo(200);
    assertThat(outcome.output().get("version").intValue()).isEqualTo(12);
    assertThat(outcome.output().get("ref").textValue()).isEqualTo("ranker@12");
    assertThat(outcome.output().get("nested").toString()).isEqualTo("{\"a\":[1]}");
    assertThat(outcome.summary()).startsWith("GET " + url("/models/ranker/deployment") + " → 200");
  }

  @Test
  void a_secret_in_the_reply_or_the_url_is_masked() {
    target.stubFor(get("/t?token=" + SECRET).willReturn(aResponse().withStatus(200)
        .withBody("{\"echo\": \"Bearer " + SECRET + "\"}")));

    ActionOutcome outcome = executor.execute(action("{type: 'http', url: '" + url("/t?token=" + SECRET) + "'}"), ctx);

    assertThat(outcome.output().get("echo").textValue()).isEqualTo("Bearer ***");
    assertThat(outcome.summary()).contains("token=***").doesNotContain(SECRET);
  }

  @Test
  void expect_status_lists_the_accepted_statuses() {
    target.stubFor(post("/deployments").willReturn(aResponse().withStatus(200)));

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class, () -> executor.execute(
        action("{type: 'http', method: 'POST', url: '" + url("/deployments") + "', expect_status: 201}"), ctx));

    assertThat(e.getMessage()).contains("returned 200, expected [201]");
    assertThat(e.retryable()).isFalse();
    assertThat(e.outcomeUnknown()).as("a 2xx may have changed something").isTrue();
  }

  @Test
  void a_5xx_is_retryable_with_an_unknown_outcome_and_keeps_what_the_server_said() {
    target.stubFor(post("/x").willReturn(aResponse().withStatus(503).withBody("{\"error\": \"draining\"}")));

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class,
        () -> executor.execute(action("{type: 'http', method: 'POST', url: '" + url("/x") + "'}"), ctx));

    assertThat(e.retryable()).isTrue();
    assertThat(e.outcomeUnknown()).isTrue();
    assertThat(e.getMessage()).contains("returned 503, expected 2xx").contains("draining").contains("outcome unknown");
    assertThat(e.output().get("status").intValue()).isEqualTo(503);
    assertThat(e.output().get("error").textValue()).isEqualTo("draining");
  }

  @Test
  void a_4xx_is_not_retryable_and_nothing_was_applied() {
    target.stubFor(post("/x").willReturn(aResponse().withStatus(422).withBody("bad snapshot id")));

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class,
        () -> executor.execute(action("{type: 'http', method: 'POST', url: '" + url("/x") + "'}"), ctx));

    assertThat(e.retryable()).isFalse();
    assertThat(e.outcomeUnknown()).isFalse();
    assertThat(e.getMessage()).contains("422").contains("bad snapshot id").doesNotContain("outcome unknown");
  }

  @Test
  void a_429_is_retryable() {
    target.stubFor(get("/x").willReturn(aResponse().withStatus(429)));

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class,
        () -> executor.execute(action("{type: 'http', url: '" + url("/x") + "'}"), ctx));

    assertThat(e.retryable()).isTrue();
    assertThat(e.outcomeUnknown()).isFalse();
  }

  @Test
  void a_timeout_is_retryable_and_says_the_outcome_is_unknown() {
    target.stubFor(post("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(1_000)));
    ActionContext shortTimeout = ActionContext.of("run-1", "pause", 1, "k", Duration.ofMillis(300));
    long start = System.nanoTime();

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class,
        () -> executor.execute(action("{type: 'http', method: 'POST', url: '" + url("/slow") + "'}"), shortTimeout));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
    assertThat(e.retryable()).isTrue();
    assertThat(e.outcomeUnknown()).isTrue();
    assertThat(e.getMessage()).contains("timed out after 300ms").contains("outcome unknown");
  }

  @Test
  void a_body_that_trickles_in_past_the_timeout_still_times_out() {
    target.stubFor(get("/drip").willReturn(aResponse().withStatus(200).withBody("x".repeat(2_000))
        .withChunkedDribbleDelay(20, 1_000)));
    ActionContext shortTimeout = ActionContext.of("run-1", "s", 1, "k", Duration.ofMillis(400));

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class,
        () -> executor.execute(action("{type: 'http', url: '" + url("/drip") + "'}"), shortTimeout));

    assertThat(e.getMessage()).contains("timed out");
  }

  @Test
  void connection_refused_is_retryable_and_nothing_was_sent() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class,
        () -> executor.execute(action("{type: 'http', method: 'POST', url: 'http://localhost:" + closedPort + "/x'}"), ctx));

    assertThat(e.retryable()).isTrue();
    assertThat(e.outcomeUnknown()).isFalse();
    assertThat(e.getMessage()).contains("cannot connect");
  }

  @Test
  void a_reply_over_the_limit_succeeds_on_its_status_without_body_fields() {
    HttpActionExecutor small = new HttpActionExecutor(new HttpTarget(), Masker.none(), 16);
    target.stubFor(get("/big").willReturn(aResponse().withStatus(200).withBody("{\"a\": \"" + "x".repeat(100) + "\"}")));

    ActionOutcome outcome = small.execute(action("{type: 'http', url: '" + url("/big") + "'}"), ctx);

    assertThat(outcome.output().toString()).isEqualTo("{\"status\":200}");
    assertThat(outcome.summary()).contains("not parsed");
  }

  @Test
  void urls_that_are_not_http_and_reserved_headers_are_refused_before_sending() {
    assertThatThrownBy(() -> executor.execute(action("{type: 'http', url: 'file:///etc/passwd'}"), ctx))
        .isInstanceOf(ActionFailedException.class)
        .hasMessageContaining("not an http(s) URL")
        .satisfies(e -> assertThat(((ActionFailedException) e).retryable()).isFalse());
    assertThatThrownBy(() -> executor.execute(
        action("{type: 'http', url: '" + url("/x") + "', headers: {Host: 'evil'}}"), ctx))
        .isInstanceOf(ActionFailedException.class)
        .hasMessageContaining("header 'Host' cannot be set");
  }
}
