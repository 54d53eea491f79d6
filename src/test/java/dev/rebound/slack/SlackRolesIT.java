package dev.rebound.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Who may do what from Slack: unknown users and viewers cannot open incidents, and a step the policy
 * sends to the console gets a link, not an Approve button that works.
 */
class SlackRolesIT extends SlackServiceFixture {
  @Test
  void unknown_users_and_viewers_cannot_open_incidents() throws Exception {
    HttpResponse<Buffer> unknown = requests.send(requests.command("U0NOBODY", "who am i outage", "trig-u",
        Instant.now()));
    assertThat(unknown.statusCode()).isEqualTo(200);
    assertThat(unknown.bodyAsJsonObject().getString("text")).startsWith("Rebound does not know your Slack user");
    HttpResponse<Buffer> viewer = requests.send(requests.command(GRACE, "viewer outage", "trig-g", Instant.now()));
    assertThat(viewer.bodyAsJsonObject().getString("text")).startsWith("Opening an incident needs the responder role");
    Thread.sleep(300);
    assertThat(incidentsTitled("who am i outage") + incidentsTitled("viewer outage")).isZero();
  }

  @Test
  void a_step_the_policy_sends_to_the_console_gets_a_link_and_an_approve_press_is_refused() throws Exception {
    requests.send(requests.command(DMITRI, "price lookups are slow", "trig-console", Instant.now()));
    SlackFake.Call suggestion = slack.awaitOne("chat.postMessage", c -> c.field("text").endsWith(": price lookups are slow"));
    String incident = suggestion.field("text").substring("Incident ".length()).split(":")[0];
    String ts = postedTs("incident:" + incident);
    requests.send(requests.press(DMITRI, "rebound_start_run", incident + " cache-reindex 1", ts, null, Instant.now()));
    SlackFake.Call status = slack.awaitOne("chat.postMessage", c -> ts.equals(c.field("thread_ts"))
        && c.field("text").startsWith("Run ") && c.field("text").contains("cache-reindex"));
    String run = status.field("text").split(" ")[1];
    SlackFake.Call request = slack.awaitOne("chat.postMessage",
        c -> c.field("text").equals("Approval needed: step reindex of run " + run));
    JsonNode blocks = request.blocks();
    assertThat(blocks).hasSize(4);
    assertThat(blocks.get(2)).isEqualTo(json("{\"type\": \"actions\", \"block_id\": \"rebound_approval\","
        + " \"elements\": [{\"type\": \"button\", \"text\": {\"type\": \"plain_text\", \"text\": \"Approve in the"
        + " console\"}, \"action_id\": \"rebound_open_console\", \"url\": \"https://rebound.example.test/#/runs/" + run
        + "\"}]}"));
    assertThat(blocks.get(3).toString()).contains("approved in the console only");
    String hash = getJson("/api/runs/" + run).path("awaiting").path("action_hash").asText();
    requests.send(requests.press(ALICE, "rebound_approve", run + " reindex 1 " + hash,
        postedTs("approval:" + run + "/reindex/1"), ts, Instant.now()));
    SlackFake.Call refused = slack.awaitOne("chat.postEphemeral", c -> ALICE.equals(c.field("user"))
        && c.field("text").contains("console only"));
    assertThat(refused.field("text")).isEqualTo("Not done: steps of risk medium are approved in the console only:"
        + " https://rebound.example.test/#/runs/" + run);
    assertThat(getJson("/api/runs/" + run).path("awaiting").path("step_id").asText()).isEqualTo("reindex");
    assertThat(target.findAll(postRequestedFor(urlEqualTo("/cache/reindex")))).isEmpty();
    assertThat(audit("slack.action_refused", "alice")).isEqualTo(1);
  }
}
