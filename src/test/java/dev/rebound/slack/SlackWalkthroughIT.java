package dev.rebound.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The walkthrough in Slack: command, suggestion, Start run, approvals (and the refusals of a viewer,
 * an unknown user and a second approval still needed), thread updates that follow the run, and a
 * mention answered in the thread (Slack's retry of it ignored).
 */
class SlackWalkthroughIT extends SlackServiceFixture {
  @Test
  void walkthrough_command_suggestion_start_run_approvals_and_a_thread_that_follows_the_run() throws Exception {
    HttpResponse<Buffer> ack = requests.send(requests.command(DMITRI,
        "sev2 price cache serves stale prices after failover", "trig-walk", Instant.now()));
    assertThat(ack.statusCode()).isEqualTo(200);
    assertThat(ack.bodyAsJsonObject().getString("response_type")).isEqualTo("ephemeral");
    assertThat(ack.bodyAsJsonObject().getString("text"))
        .isEqualTo("Opening an incident for: sev2 price cache serves stale prices after failover");

    SlackFake.Call suggestion = slack.awaitOne("chat.postMessage",
        c -> c.field("text").endsWith(": price cache serves stale prices after failover"));
    assertThat(suggestion.field("channel")).isEqualTo(SignedRequests.CHANNEL);
    JsonNode blocks = suggestion.blocks();
    String incident = suggestion.field("text").substring("Incident ".length()).split(":")[0];
    assertThat(incident).matches("INC-\\d{4}-\\d{3}");
    assertThat(blocks).hasSize(7);
    assertThat(blocks.get(0)).isEqualTo(json("{\"type\": \"header\", \"text\": {\"type\": \"plain_text\","
        + " \"text\": \"Incident " + incident + ": price cache serves stale prices after failover\"}}"));
    assertThat(blocks.get(1)).isEqualTo(json("{\"type\": \"section\", \"text\": {\"type\": \"mrkdwn\", \"text\":"
        + " \"*Affected assets:* none named yet\\n*Assets the suggested runbook acts on:* `cache.prices`\\n"
        + "*Impact, if those are down:* downstream `api.prices`\\n*Tightest RTO, if so:* 15m (api.prices)\"}}"));
    String similar = blocks.get(2).path("text").path("text").asText();
    assertThat(similar).startsWith("*Most similar past incidents*\n• *INC-2025-00");
    assertThat(similar).contains("*INC-2025-001* Price cache served stale prices after a database failover",
        "_Resolved:_ Paused the writers, reloaded the cache from the new primary, resumed the writers.",
        "_Runbooks used:_ `cache-restore@1`", "*INC-2025-002*");
    assertThat(similar.lines().filter(l -> l.startsWith("• ")).count()).isEqualTo(3);
    assertThat(blocks.get(3)).isEqualTo(json("{\"type\": \"section\", \"text\": {\"type\": \"mrkdwn\", \"text\":"
        + " \"*Suggested runbook:* `cache-restore` v1 Restore the price cache from the database (approved and active)"
        + "\\n*Plan:*\\n1. Pause cache writers (`pause`, risk low)\\n2. Reload the cache from the database"
        + " (`reload`, risk high)\"}}"));
    // cache-restore was never drilled: its recovery is not proven, and the message says so.
    assertThat(blocks.get(4)).isEqualTo(json("{\"type\": \"context\", \"elements\": [{\"type\": \"mrkdwn\", \"text\":"
        + " \":warning: *Recovery not proven by a drill:* `cache-restore` never drilled\"}]}"));
    assertThat(blocks.get(5)).isEqualTo(json("{\"type\": \"actions\", \"block_id\": \"rebound_incident_actions\","
        + " \"elements\": [{\"type\": \"button\", \"text\": {\"type\": \"plain_text\", \"text\": \"Start run\"},"
        + " \"action_id\": \"rebound_start_run\", \"value\": \"" + incident + " cache-restore 1\","
        + " \"style\": \"primary\"}]}"));
    assertThat(blocks.get(6)).isEqualTo(json("{\"type\": \"context\", \"elements\": [{\"type\": \"mrkdwn\", \"text\":"
        + " \"Guided mode (no model configured): suggestions from Rebound's own retrieval and runbooks.\"}]}"));
    String suggestionTs = postedTs("incident:" + incident);
    JsonNode stored = getJson("/api/incidents/" + incident);
    assertThat(stored.path("severity").asText()).isEqualTo("sev2");
    assertThat(stored.path("status").asText()).isEqualTo("open");

    // Start run, in the incident's thread.
    requests.send(requests.press(DMITRI, "rebound_start_run", incident + " cache-restore 1", suggestionTs, null,
        Instant.now()));
    SlackFake.Call status = slack.awaitOne("chat.postMessage",
        c -> suggestionTs.equals(c.field("thread_ts")) && c.field("text").startsWith("Run "));
    String run = status.field("text").split(" ")[1];
    assertThat(status.field("text")).isEqualTo("Run " + run + " of cache-restore: proposed");
    String statusTs = postedTs("run:" + run);
    SlackFake.Call pauseRequest = slack.awaitOne("chat.postMessage",
        c -> c.field("text").equals("Approval needed: step pause of run " + run));
    assertThat(pauseRequest.field("thread_ts")).isEqualTo(suggestionTs);
    JsonNode view = getJson("/api/runs/" + run);
    String pauseHash = view.path("awaiting").path("action_hash").asText();
    String target0 = "http://127.0.0.1:" + target.port();
    assertThat(pauseRequest.blocks()).isEqualTo(json("[{\"type\": \"section\", \"text\": {\"type\": \"mrkdwn\","
        + " \"text\": \"*Approval needed:* Pause cache writers\\nRun `" + run + "`, step `pause` (attempt 1), risk"
        + " *low*: 1 approval from responder, approver, admin\"}}, {\"type\": \"section\", \"text\": {\"type\":"
        + " \"mrkdwn\", \"text\": \"*Action:* ```" + view.path("awaiting").path("action").toString()
            .replace("\\", "\\\\").replace("\"", "\\\"") + "```\\n*Targets:* `cache.prices`\\n*Action hash:* `" + pauseHash
        + "`\"}}, {\"type\": \"actions\", \"block_id\": \"rebound_approval\", \"elements\": [{\"type\": \"button\","
        + " \"text\": {\"type\": \"plain_text\", \"text\": \"Approve\"}, \"action_id\": \"rebound_approve\","
        + " \"value\": \"" + run + " pause 1 " + pauseHash + "\", \"style\": \"primary\", \"confirm\": {\"title\":"
        + " {\"type\": \"plain_text\", \"text\": \"Approve step pause?\"}, \"text\": {\"type\": \"mrkdwn\", \"text\":"
        + " \"This runs the action shown (hash " + pauseHash.substring(0, 12) + ") against `cache.prices`.\"},"
        + " \"confirm\": {\"type\": \"plain_text\", \"text\": \"Approve\"}, \"deny\": {\"type\": \"plain_text\","
        + " \"text\": \"Cancel\"}}}, {\"type\": \"button\", \"text\": {\"type\": \"plain_text\", \"text\":"
        + " \"Reject\"}, \"action_id\": \"rebound_reject\", \"value\": \"" + run + " pause 1 " + pauseHash + "\","
        + " \"style\": \"danger\", \"confirm\": {\"title\": {\"type\": \"plain_text\", \"text\": \"Reject step"
        + " pause?\"}, \"text\": {\"type\": \"mrkdwn\", \"text\": \"The step will not run; the run waits for a"
        + " decision.\"}, \"confirm\": {\"type\": \"plain_text\", \"text\": \"Reject\"}, \"deny\": {\"type\":"
        + " \"plain_text\", \"text\": \"Cancel\"}}}]}]"));
    assertThat(view.path("awaiting").path("action").toString()).contains(target0 + "/cache/pause");

    // Dmitri (responder) approves the low-risk step: it runs against the target.
    int pauses = target.findAll(postRequestedFor(urlEqualTo("/cache/pause"))).size();
    requests.send(requests.press(DMITRI, "rebound_approve", run + " pause 1 " + pauseHash,
        postedTs("approval:" + run + "/pause/1"), suggestionTs, Instant.now()));
    awaitTarget("/cache/pause", pauses + 1);
    slack.awaitOne("chat.postMessage", c -> suggestionTs.equals(c.field("thread_ts"))
        && c.field("text").equals(":arrow_forward: Step `pause` started (attempt 1)"));
    slack.awaitOne("chat.postMessage", c -> suggestionTs.equals(c.field("thread_ts"))
        && c.field("text").equals(":white_check_mark: Step `pause` succeeded"));
    SlackFake.Call reloadRequest = slack.awaitOne("chat.postMessage",
        c -> c.field("text").equals("Approval needed: step reload of run " + run));
    String reloadTs = postedTs("approval:" + run + "/reload/1");
    // The thread tells the story in order: the engine is already waiting for reload when it
    // publishes that pause succeeded, and that reply comes first all the same.
    assertThat(slack.calls("chat.postMessage", c -> suggestionTs.equals(c.field("thread_ts")))
        .stream().map(c -> c.field("text")).toList())
        .containsSubsequence(":white_check_mark: Step `pause` succeeded", "Approval needed: step reload of run " + run);
    String reloadHash = getJson("/api/runs/" + run).path("awaiting").path("action_hash").asText();
    assertThat(reloadRequest.blocks().get(0).path("text").path("text").asText()).isEqualTo("*Approval needed:* Reload"
        + " the cache from the database\nRun `" + run + "`, step `reload` (attempt 1), risk *high*: 2 approvals"
        + " from approver, admin, not the requester");
    String reloadValue = run + " reload 1 " + reloadHash;

    // Grace (viewer) presses Approve: the engine refuses and audits; she is told why, privately.
    requests.send(requests.press(GRACE, "rebound_approve", reloadValue, reloadTs, suggestionTs, Instant.now()));
    SlackFake.Call refusal = slack.awaitOne("chat.postEphemeral", c -> GRACE.equals(c.field("user")));
    assertThat(refusal.field("text")).startsWith("Not done: ").contains("grace has viewer (team.yaml)")
        .as("a Slack press involves no token").doesNotContain("(token)");
    assertThat(refusal.field("channel")).isEqualTo(SignedRequests.CHANNEL);
    assertThat(refusal.field("thread_ts")).isEqualTo(suggestionTs);
    assertThat(audit("approval.refused", "grace")).isEqualTo(1);

    // Someone Slack knows but team.yaml does not.
    requests.send(requests.press("U0NOBODY", "rebound_approve", reloadValue, reloadTs, suggestionTs, Instant.now()));
    assertThat(slack.awaitOne("chat.postEphemeral", c -> "U0NOBODY".equals(c.field("user"))).field("text"))
        .startsWith("Rebound does not know your Slack user (U0NOBODY)");
    assertThat(audit("slack.action_refused", "slack")).isGreaterThanOrEqualTo(1);

    // Two approvers (neither the requester): the first is told more are needed, the second runs it.
    int reloads = target.findAll(postRequestedFor(urlEqualTo("/cache/reload"))).size();
    requests.send(requests.press(ALICE, "rebound_approve", reloadValue, reloadTs, suggestionTs, Instant.now()));
    assertThat(slack.awaitOne("chat.postEphemeral", c -> ALICE.equals(c.field("user"))).field("text"))
        .isEqualTo("Your approval of step `reload` is recorded; it needs more approvals before it runs.");
    assertThat(target.findAll(postRequestedFor(urlEqualTo("/cache/reload")))).hasSize(reloads);
    // The whole thread, not only alice, learns that one approval is in and one is missing.
    slack.awaitOne("chat.postMessage", c -> suggestionTs.equals(c.field("thread_ts")) && c.field("text").equals(
        ":ballot_box_with_check: alice approved step `reload` (1 of 2): it runs after 1 more approval by someone"
            + " else"));
    requests.send(requests.press(BRUNO, "rebound_approve", reloadValue, reloadTs, suggestionTs, Instant.now()));
    awaitTarget("/cache/reload", reloads + 1);
    SlackFake.Call closed = slack.awaitOne("chat.update", c -> reloadTs.equals(c.field("ts")));
    assertThat(closed.field("text")).isEqualTo(":ballot_box_with_check: Step `reload` (action hash `" + reloadHash
        + "`) approved by alice, bruno");
    slack.awaitOne("chat.postMessage", c -> suggestionTs.equals(c.field("thread_ts"))
        && c.field("text").equals(":white_check_mark: Final validation `cache fresh` passed"));
    SlackFake.Call done = slack.awaitOne("chat.postMessage", c -> suggestionTs.equals(c.field("thread_ts"))
        && c.field("text").startsWith(":tada: Run succeeded"));
    assertThat(done.field("text")).matches(":tada: Run succeeded in \\d+s against an RTO of 30m \\(within\\)");
    SlackFake.Call finalStatus = slack.awaitOne("chat.update", c -> statusTs.equals(c.field("ts"))
        && c.field("text").endsWith(": succeeded"));
    assertThat(finalStatus.blocks().get(0).path("text").path("text").asText()).isEqualTo("*Run* `" + run
        + "` of `cache-restore` v1 requested by dmitri: *succeeded*\n:white_check_mark: `pause` Pause cache writers"
        + " (succeeded)\n:white_check_mark: `reload` Reload the cache from the database (succeeded)");
    assertThat(target.findAll(postRequestedFor(urlEqualTo("/cache/reload")))).hasSize(reloads + 1);
    resolveFromTheRunsLastReply(incident, suggestionTs, done);

    // A mention in the thread goes to the agent (guided mode here); Slack's retry of it is ignored.
    SignedRequests.Signed mention = requests.mention(DMITRI, "<@U0REBOUND> what should we check next?",
        suggestionTs, "Ev0WALK", Instant.now());
    assertThat(requests.send(mention).statusCode()).isEqualTo(200);
    SignedRequests.Signed retry = requests.mention(DMITRI, "<@U0REBOUND> what should we check next?",
        suggestionTs, "Ev0WALK", Instant.now().plusSeconds(1)).withHeader("X-Slack-Retry-Num", "1")
        .withHeader("X-Slack-Retry-Reason", "http_timeout");
    assertThat(requests.send(retry).statusCode()).isEqualTo(200);
    SlackFake.Call answer = slack.awaitOne("chat.postMessage", c -> suggestionTs.equals(c.field("thread_ts"))
        && c.field("text").startsWith("Guided mode"));
    assertThat(answer.field("text")).contains("Suggestions for " + incident, "INC-2025-001");
    Thread.sleep(500);
    assertThat(slack.calls("chat.postMessage", c -> suggestionTs.equals(c.field("thread_ts"))
        && c.field("text").startsWith("Guided mode"))).hasSize(1);
  }

  /**
   * The run recovered: its last reply offers "Resolve incident" and the postmortem draft; a viewer
   * is refused at the press, a blank root cause keeps the form open, and the resolution is
   * recorded once (a repeated delivery does nothing) and told in the thread.
   */
  private void resolveFromTheRunsLastReply(String incident, String thread, SlackFake.Call done) throws Exception {
    JsonNode buttons = done.blocks().get(1).path("elements");
    assertThat(buttons.get(0).path("action_id").asText()).isEqualTo("rebound_resolve_incident");
    assertThat(buttons.get(0).path("value").asText()).isEqualTo(incident);
    assertThat(buttons.get(1).path("url").asText())
        .isEqualTo("https://rebound.example.test/#/incidents/" + incident + "/postmortem");

    requests.send(requests.press(GRACE, "rebound_resolve_incident", incident, thread, thread, Instant.now()));
    assertThat(slack.awaitOne("chat.postEphemeral", c -> GRACE.equals(c.field("user"))
        && c.field("text").contains("resolving an incident needs role responder")).field("text"))
        .isEqualTo("Not done: resolving an incident needs role responder; grace has viewer");
    requests.send(requests.press(DMITRI, "rebound_resolve_incident", incident, thread, thread, Instant.now()));
    JsonNode form = SlackFake.JSON.readTree(slack.awaitOne("views.open", c -> c.field("view").contains(incident))
        .field("view"));
    assertThat(form.path("callback_id").asText()).isEqualTo("rebound_resolve_incident");
    String metadata = form.path("private_metadata").asText();
    assertThat(metadata).isEqualTo(incident + " " + SignedRequests.CHANNEL + " " + thread);
    assertThat(slack.calls("views.open", c -> c.field("view").contains(incident))).hasSize(1); // not for grace

    JsonNode blank = json(requests.send(requests.submission(DMITRI, "rebound_resolve_incident", metadata,
        Map.of("root_cause", "  ", "resolution", "Reloaded the cache."), "h-resolve-1", Instant.now())).bodyAsString());
    assertThat(blank.path("errors").path("root_cause").asText()).isEqualTo("root_cause is required: a sentence or two");
    assertThat(getJson("/api/incidents/" + incident).path("status").asText()).isEqualTo("open");

    Map<String, String> texts = Map.of("root_cause", "Writers kept the old primary's prices after the failover.",
        "resolution", "Paused writers, reloaded the cache from the new primary.");
    assertThat(requests.send(requests.submission(DMITRI, "rebound_resolve_incident", metadata, texts, "h-resolve-2",
        Instant.now())).bodyAsString()).isNullOrEmpty(); // the form closes
    // Slack's repeated delivery of the same submission (signed anew) does nothing more.
    assertThat(requests.send(requests.submission(DMITRI, "rebound_resolve_incident", metadata, texts, "h-resolve-2",
        Instant.now().plusSeconds(1))).bodyAsString()).isNullOrEmpty();
    SlackFake.Call told = slack.awaitOne("chat.postMessage", c -> thread.equals(c.field("thread_ts"))
        && c.field("text").startsWith(":white_check_mark: Incident"));
    assertThat(told.field("text")).isEqualTo(":white_check_mark: Incident `" + incident + "` resolved by dmitri.\n"
        + "*Root cause:* Writers kept the old primary's prices after the failover.\n*Resolution:* Paused writers,"
        + " reloaded the cache from the new primary.\nPostmortem draft: https://rebound.example.test/#/incidents/"
        + incident + "/postmortem");
    JsonNode resolved = getJson("/api/incidents/" + incident);
    assertThat(resolved.path("status").asText()).isEqualTo("resolved");
    assertThat(resolved.path("runbooks_used").toString()).isEqualTo("[\"cache-restore@1\"]");
    // Opened naming no asset: it records what the run that recovered it acted on, so the next
    // incident of that asset finds it by the shared asset too.
    assertThat(resolved.path("assets").toString()).isEqualTo("[\"cache.prices\"]");
    assertThat(audit("incident.resolved", "dmitri")).isEqualTo(1);
    HttpResponse<Buffer> next = api.post("/api/incidents").bearerTokenAuthentication(ADMIN)
        .sendJsonObject(new JsonObject().put("title", "Price API answers slowly")
            .put("severity", "sev3").put("assets", new JsonArray().add("cache.prices")))
        .await(30, SECONDS);
    assertThat(next.statusCode()).as(next.bodyAsString()).isEqualTo(201);
    JsonNode similar = getJson("/api/incidents/" + next.bodyAsJsonObject().getString("id") + "/similar?k=10");
    JsonNode found = java.util.stream.StreamSupport.stream(similar.path("similar").spliterator(), false)
        .filter(i -> i.path("id").asText().equals(incident)).findFirst().orElseThrow();
    assertThat(found.path("shared_assets").toString()).isEqualTo("[\"cache.prices\"]");
  }
}
