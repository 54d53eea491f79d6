package dev.rebound.slack;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The defences of the Slack endpoints: signatures (forged, another secret, altered body), stale and
 * future timestamps, replays and Slack's retries, url_verification and unsigned events; and that
 * they do not refuse what Slack legitimately sends (large form fields).
 */
class SlackRequestSecurityIT extends SlackServiceFixture {
  @Test
  void a_forged_signature_is_refused_with_401_and_audited_and_opens_nothing() throws Exception {
    long before = audit("slack.request_refused", "slack");
    SignedRequests.Signed forged = requests.command(DMITRI, "forged outage", "trig-forged", Instant.now())
        .withSignature("v0=" + "0".repeat(64));
    HttpResponse<Buffer> res = requests.send(forged);
    assertThat(res.statusCode()).isEqualTo(401);
    assertThat(res.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .isEqualTo("Slack request refused: the signature does not match the body (wrong signing secret or altered"
            + " request)");
    assertThat(audit("slack.request_refused", "slack")).isEqualTo(before + 1);
    assertThat(incidentsTitled("forged outage")).isZero();

    // Signed with another secret, and a valid signature over a different body, fail the same way.
    SignedRequests other = new SignedRequests(running.vertx(), running.port(), "another-secret");
    assertThat(other.send(other.command(DMITRI, "forged outage", "trig-forged-2", Instant.now())).statusCode())
        .isEqualTo(401);
    other.close();
    SignedRequests.Signed valid = requests.command(DMITRI, "forged outage", "trig-forged-3", Instant.now());
    SignedRequests.Signed tampered = new SignedRequests.Signed(valid.path(), valid.contentType(),
        valid.body().replace("forged+outage", "other+outage"), valid.timestamp(), valid.signature(), Map.of());
    assertThat(requests.send(tampered).statusCode()).isEqualTo(401);
    assertThat(incidentsTitled("forged outage") + incidentsTitled("other outage")).isZero();
  }

  @Test
  void stale_and_future_timestamps_are_refused_but_the_window_itself_is_accepted() throws Exception {
    HttpResponse<Buffer> stale = requests.send(requests.command(DMITRI, "stale outage", "trig-stale",
        Instant.now().minusSeconds(301)));
    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(stale.bodyAsString()).contains("more than 5 minutes old");
    HttpResponse<Buffer> future = requests.send(requests.command(DMITRI, "future outage", "trig-future",
        Instant.now().plusSeconds(301)));
    assertThat(future.statusCode()).isEqualTo(401);
    assertThat(future.bodyAsString()).contains("more than 5 minutes in the future");
    assertThat(incidentsTitled("stale outage") + incidentsTitled("future outage")).isZero();
    HttpResponse<Buffer> late = requests.send(requests.command(DMITRI, "slightly late outage", "trig-late",
        Instant.now().minusSeconds(280)));
    assertThat(late.statusCode()).isEqualTo(200);
    awaitIncidentsTitled("slightly late outage", 1);
  }

  @Test
  void a_replayed_request_is_refused_and_a_retry_from_slack_opens_nothing_twice() throws Exception {
    SignedRequests.Signed first = requests.command(DMITRI, "replayed outage", "trig-replay", Instant.now());
    assertThat(requests.send(first).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> replay = requests.send(first);
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.bodyAsString()).contains("replayed");
    // Slack's retry: same trigger id, a fresh timestamp and signature.
    SignedRequests.Signed retry = requests.command(DMITRI, "replayed outage", "trig-replay",
        Instant.now().plusSeconds(2)).withHeader("X-Slack-Retry-Num", "1");
    assertThat(requests.send(retry).statusCode()).isEqualTo(200);
    awaitIncidentsTitled("replayed outage", 1);
    slack.awaitOne("chat.postMessage", c -> c.field("text").endsWith(": replayed outage"));
    Thread.sleep(500);
    assertThat(incidentsTitled("replayed outage")).isEqualTo(1);
    assertThat(slack.calls("chat.postMessage", c -> c.field("text").endsWith(": replayed outage"))).hasSize(1);
  }

  /**
   * Slack sends a button press or a form submission with the whole message or view in one form
   * field, often more than the 8 kB Vert.x decodes a form field up to by default (which answered a
   * bare 400 "bad request" before the handler saw it).
   */
  @Test
  void a_form_field_larger_than_8_kb_reaches_the_handler() throws Exception {
    String description = "large outage " + "with a long description ".repeat(400);
    SignedRequests.Signed command = requests.command(DMITRI, description, "trig-large", Instant.now());
    assertThat(command.body().length()).isGreaterThan(9_000);

    HttpResponse<Buffer> res = requests.send(command);

    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(200);
    awaitIncidentsTitled(SlackText.cut(description, 200), 1); // the title is cut; the body keeps it all
  }

  @Test
  void url_verification_echoes_the_challenge_and_unsigned_events_are_refused() throws Exception {
    String body = new JsonObject().put("token", "t").put("challenge", "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
        .put("type", "url_verification").encode();
    HttpResponse<Buffer> ok = requests.send(requests.sign("/slack/events", "application/json", body, Instant.now()));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsJsonObject().getString("challenge"))
        .isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    HttpResponse<Buffer> unsigned = api.post("/slack/events").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)).await(10, SECONDS);
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(unsigned.bodyAsString()).contains("no X-Slack-Signature");
  }
}
