package dev.rebound.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rebound.db.TokenStore;
import dev.rebound.inventory.Role;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slack's own failures: rate limits are retried after the time Slack asks for, and Slack refusing
 * every call never affects the run.
 */
class SlackResilienceIT extends SlackServiceFixture {
  /** The form-encoded text of the rate-limit test's message (OkHttp encodes spaces as %20). */
  static final String RATE_LIMITED = ".*rate(%20|\\+)limited(%20|\\+)outage.*";

  @Test
  void slack_rate_limits_are_retried_after_the_time_slack_asks_for() throws Exception {
    slack.server.stubFor(post("/api/chat.postMessage").atPriority(1).withRequestBody(matching(RATE_LIMITED))
        .inScenario("rate-limit").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
            .withHeader("Content-Type", "application/json").withBody("{\"ok\": false, \"error\": \"ratelimited\"}"))
        .willSetStateTo("limited-once"));
    slack.server.stubFor(post("/api/chat.postMessage").atPriority(1).withRequestBody(matching(RATE_LIMITED))
        .inScenario("rate-limit").whenScenarioStateIs("limited-once")
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody("{\"ok\": true, \"channel\": \"C0INCIDENT\", \"ts\": \"1760000000.429429\"}")));
    requests.send(requests.command(DMITRI, "rate limited outage", "trig-429", Instant.now()));
    List<LoggedRequest> calls = awaitSlackRequests(RATE_LIMITED, 2);
    assertThat(Duration.between(calls.get(0).getLoggedDate().toInstant(), calls.get(1).getLoggedDate().toInstant()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    String incident = awaitIncidentsTitled("rate limited outage", 1).get(0);
    long deadline = System.currentTimeMillis() + 10_000;
    while (!"1760000000.429429".equals(postedTsOrNull("incident:" + incident))) {
      assertThat(System.currentTimeMillis()).as("message recorded after the retry").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void slack_refusing_every_call_never_affects_the_run() throws Exception {
    for (String method : List.of("chat.postMessage", "chat.update", "chat.postEphemeral")) {
      slack.server.stubFor(post("/api/" + method).atPriority(1).withRequestBody(matching(".*C0GONE.*"))
          .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
              .withBody("{\"ok\": false, \"error\": \"channel_not_found\"}")));
    }
    int pauses = target.findAll(postRequestedFor(urlEqualTo("/cache/pause"))).size();
    int reloads = target.findAll(postRequestedFor(urlEqualTo("/cache/reload"))).size();
    requests.send(requests.command("C0GONE", DMITRI, "gone channel outage", "trig-gone", Instant.now()));
    String incident = awaitIncidentsTitled("gone channel outage", 1).get(0);
    slack.awaitOne("chat.postMessage", c -> "C0GONE".equals(c.field("channel")));
    long released = System.currentTimeMillis() + 10_000;
    while (postedTsOrNull("incident:" + incident) != null) {
      assertThat(System.currentTimeMillis()).as("a refused post leaves no message behind: "
          + postedTsOrNull("incident:" + incident)).isLessThan(released);
      Thread.sleep(50);
    }

    // The button of a message Slack did show earlier (say): the run starts though nothing can be posted.
    requests.send(requests.press("C0GONE", DMITRI, "rebound_start_run", incident + " cache-restore 1",
        "1760000000.000999", null, Instant.now()));
    String run = awaitRunOf(incident);
    TokenStore tokens = new TokenStore(running.database().pool());
    approveOverApi(run, "pause", tokens.issue("dmitri", Role.RESPONDER, "t").await(10, SECONDS).token());
    awaitTarget("/cache/pause", pauses + 1);
    awaitAwaiting(run, "reload");
    approveOverApi(run, "reload", tokens.issue("alice", Role.APPROVER, "t").await(10, SECONDS).token());
    approveOverApi(run, "reload", tokens.issue("bruno", Role.APPROVER, "t").await(10, SECONDS).token());
    awaitTarget("/cache/reload", reloads + 1);
    long deadline = System.currentTimeMillis() + 20_000;
    while (!"succeeded".equals(getJson("/api/runs/" + run).path("state").asText())) {
      assertThat(System.currentTimeMillis()).as("run " + run + " succeeded").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(slack.calls("chat.postMessage", c -> "C0GONE".equals(c.field("channel")))).hasSizeGreaterThan(1);
  }

  private static String awaitRunOf(String incident) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement("select id from runs where incident_id = ?")) {
        s.setString(1, incident);
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) {
            return r.getString(1);
          }
        }
      }
      assertThat(System.currentTimeMillis()).as("a run for " + incident).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void awaitAwaiting(String run, String step) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!step.equals(getJson("/api/runs/" + run).path("awaiting").path("step_id").asText())) {
      assertThat(System.currentTimeMillis()).as(run + " awaits " + step).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void approveOverApi(String run, String step, String token) throws Exception {
    String hash = getJson("/api/runs/" + run).path("awaiting").path("action_hash").asText();
    HttpResponse<Buffer> res = api.post("/api/runs/" + run + "/steps/" + step + "/approve").bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject().put("action_hash", hash)).await(10, SECONDS);
    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(200);
  }

  private static List<LoggedRequest> awaitSlackRequests(String bodyPattern, int count) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      List<LoggedRequest> found = slack.server.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage"))
          .withRequestBody(matching(bodyPattern)));
      if (found.size() >= count) {
        return found;
      }
      assertThat(System.currentTimeMillis()).as("Slack calls matching " + bodyPattern).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
