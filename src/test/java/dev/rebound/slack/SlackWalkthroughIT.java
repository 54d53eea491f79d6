package dev.rebound.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.rebound.app.Bootstrap;
import dev.rebound.db.TokenStore;
import dev.rebound.inventory.Role;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.List;
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
   * A step approved in the console (the API) is told in Slack too: its approval request says who
   * approved it and loses its buttons, so nobody presses Approve on a step that already ran.
   */
  @Test
  void an_approval_given_outside_slack_closes_the_slack_request() throws Exception {
    RunInThread started = startCacheRestore("price cache stale once more after a failover", "trig-console-approve");
    String run = started.run();
    String pauseTs = started.pauseRequestTs();
    String hash = getJson("/api/runs/" + run).path("awaiting").path("action_hash").asText();

    asAlice("/api/runs/" + run + "/steps/pause/approve", new JsonObject().put("action_hash", hash).put("attempt", 1));
    assertClosedWith(slack.awaitOne("chat.update", c -> pauseTs.equals(c.field("ts"))),
        ":ballot_box_with_check: Step `pause` (action hash `" + hash + "`) approved by alice");
  }

  /**
   * A run aborted in the console (the API) while its step waits for approval: the Slack request
   * says why it is no longer needed and loses its buttons, once; its old Approve, pressed all the
   * same, is still refused and runs nothing.
   */
  @Test
  void a_run_aborted_outside_slack_closes_its_open_approval_request() throws Exception {
    RunInThread started = startCacheRestore("price cache stale, run to be aborted", "trig-abort");
    String run = started.run();
    String pauseTs = started.pauseRequestTs();
    String hash = getJson("/api/runs/" + run).path("awaiting").path("action_hash").asText();

    asAlice("/api/runs/" + run + "/abort", new JsonObject().put("reason", "wrong runbook for this incident"));
    assertClosedWith(slack.awaitOne("chat.update", c -> pauseTs.equals(c.field("ts"))),
        "Step `pause` no longer needed: run aborted by alice");

    int pauses = target.findAll(postRequestedFor(urlEqualTo("/cache/pause"))).size();
    int toldDmitri = slack.calls("chat.postEphemeral", c -> DMITRI.equals(c.field("user"))).size();
    requests.send(requests.press(DMITRI, "rebound_approve", run + " pause 1 " + hash, pauseTs,
        started.thread(), Instant.now()));
    assertThat(slack.await("chat.postEphemeral", c -> DMITRI.equals(c.field("user")), toldDmitri + 1)
        .get(toldDmitri).field("text")).startsWith("Not done: ");
    Thread.sleep(500);
    assertThat(target.findAll(postRequestedFor(urlEqualTo("/cache/pause")))).hasSize(pauses);
    assertThat(slack.calls("chat.update", c -> pauseTs.equals(c.field("ts")))).as("closed once").hasSize(1);
  }

  /**
   * A run aborted after its first step changed the target: the abort's answer, the thread's last
   * line and the closed request of the next step say what stays (writers paused) and how to undo
   * it, by hand, since an aborted run is not rolled back. Before, "Run aborted by alice" was all,
   * and the closed request did not say which step it had been for.
   */
  @Test
  void a_run_aborted_after_a_step_changed_something_says_what_it_left_in_effect() throws Exception {
    RunInThread started = startCacheRestore("checkout errors climb; run abandoned half way", "trig-abort-half");
    String run = started.run();
    String hash = getJson("/api/runs/" + run).path("awaiting").path("action_hash").asText();
    asAlice("/api/runs/" + run + "/steps/pause/approve", new JsonObject().put("action_hash", hash).put("attempt", 1));
    slack.awaitOne("chat.postMessage", c -> c.field("text").equals("Approval needed: step reload of run " + run));
    String reloadTs = postedTs("approval:" + run + "/reload/1");

    JsonNode aborted = asAlice("/api/runs/" + run + "/abort", new JsonObject().put("reason", "wrong runbook"));
    String resume = "POST http://127.0.0.1:" + target.port() + "/cache/resume";
    assertThat(aborted.path("state").asText()).isEqualTo("aborted");
    assertThat(aborted.path("left_in_effect")).isEqualTo(json("[{\"step_id\": \"pause\", \"title\": \"Pause cache"
        + " writers\", \"applied\": \"yes\", \"undo\": \"by_hand\", \"undo_summary\": \"" + resume + "\"}]"));
    SlackFake.Call end = slack.awaitOne("chat.postMessage", c -> started.thread().equals(c.field("thread_ts"))
        && c.field("text").startsWith(":octagonal_sign: Run aborted by alice"));
    assertThat(end.field("text")).matches("(?s):octagonal_sign: Run aborted by alice after \\d+s\n.*")
        .endsWith("\n:warning: Left in effect: `pause` (undo: `" + resume + "`). The run has ended, so Rebound"
            + " will not run this undo: do it by hand.");
    assertClosedWith(slack.awaitOne("chat.update", c -> reloadTs.equals(c.field("ts"))),
        "Step `reload` no longer needed: run aborted by alice");
  }

  /**
   * A step rejected, then retried: the retry gets a request of its own (before, the rejected
   * attempt's request kept the subject and none was posted), and the old request, still open
   * because Slack did not take the update that should have closed it at the rejection, says it
   * was superseded and loses its buttons.
   */
  @Test
  void a_retry_closes_the_previous_attempts_request_still_open_and_asks_again() throws Exception {
    RunInThread started = startCacheRestore("price cache stale, step to be retried", "trig-retry");
    String run = started.run();
    String pauseTs = started.pauseRequestTs();
    StubMapping slackDown = slack.server.stubFor(post("/api/chat.update").atPriority(1)
        .withRequestBody(containing("ts=" + pauseTs)).willReturn(aResponse().withStatus(200)
            .withHeader("Content-Type", "application/json").withBody("{\"ok\": false, \"error\": \"fatal_error\"}")));
    try {
      asAlice("/api/runs/" + run + "/steps/pause/reject", new JsonObject().put("reason", "not yet: writers still draining"));
      slack.awaitOne("chat.update", c -> pauseTs.equals(c.field("ts")));
    } finally {
      slack.server.removeStub(slackDown);
    }

    asAlice("/api/runs/" + run + "/steps/pause/retry", new JsonObject());
    assertClosedWith(slack.awaitOne("chat.update", c -> pauseTs.equals(c.field("ts"))
        && !c.field("text").contains("rejected")),
        "Step `pause` no longer needed: superseded by the retry's request (attempt 1)");
    // A rejection executes nothing: the retry asks again for attempt 1, in a message of its own.
    List<SlackFake.Call> asked = slack.await("chat.postMessage",
        c -> c.field("text").equals("Approval needed: step pause of run " + run), 2);
    assertThat(asked).hasSize(2);
    assertThat(asked.get(1).blocks().toString()).contains("rebound_approve", run + " pause 1 ");
    assertThat(postedTs("approval:" + run + "/pause/1")).isNotEqualTo(pauseTs);
  }

  /**
   * Two replicas follow the run (the second resumed it at its start); the step is rejected on the
   * first, whose reply about it Slack is slow to take, and retried on the second, which asks
   * again in a new request. The first replica's close of the rejected request, coming after,
   * leaves the retry's request open (it closed that request, under the same subject, with
   * "rejected by alice": nobody could approve the retry in Slack).
   */
  @Test
  void a_rejection_closed_late_on_another_replica_leaves_the_retrys_request_open() throws Exception {
    RunInThread started = startCacheRestore("price cache stale, rejected here and retried there", "trig-replicas");
    String run = started.run();
    String pauseTs = started.pauseRequestTs();
    Vertx elsewhere = Vertx.vertx();
    Bootstrap.Running other = replica(elsewhere);
    WebClient otherApi = WebClient.create(elsewhere, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(other.port()));
    StubMapping slowReply = slack.server.stubFor(post("/api/chat.postMessage").atPriority(1)
        .withRequestBody(containing("no_entry")).willReturn(aResponse().withStatus(200).withFixedDelay(2500)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"ok\": true, \"channel\": \"C0INCIDENT\", \"ts\": \"1760000001.000001\"}")));
    try {
      asAlice(api, "/api/runs/" + run + "/steps/pause/reject", new JsonObject().put("reason", "not yet"));
      asAlice(otherApi, "/api/runs/" + run + "/steps/pause/retry", new JsonObject());
      slack.await("chat.postMessage", c -> c.field("text").equals("Approval needed: step pause of run " + run), 2);
      String retryTs = postedTs("approval:" + run + "/pause/1");
      assertThat(retryTs).isNotEqualTo(pauseTs);
      slack.awaitOne("chat.postMessage", c -> c.field("text").startsWith(":no_entry: Step `pause` rejected by alice"));
      // Slack answers that reply 2.5 s after it came; the first replica closes the request then.
      Thread.sleep(4000);
      assertThat(slack.calls("chat.update", c -> retryTs.equals(c.field("ts")))).as("the retry's request").isEmpty();
      assertThat(slack.calls("chat.update", c -> pauseTs.equals(c.field("ts")))).as("the rejected request, closed once")
          .hasSize(1);
    } finally {
      slack.server.removeStub(slowReply);
      otherApi.close();
      other.close().await(30, SECONDS);
      elsewhere.close().await(30, SECONDS);
    }
  }

  /** A run of cache-restore started from Slack for a new incident, waiting for the approval of its first step. */
  private record RunInThread(String run, String thread, String pauseRequestTs) {}

  private RunInThread startCacheRestore(String text, String triggerId) throws Exception {
    requests.send(requests.command(DMITRI, text, triggerId, Instant.now()));
    SlackFake.Call suggestion = slack.awaitOne("chat.postMessage", c -> c.field("text").endsWith(": " + text));
    String incident = suggestion.field("text").substring("Incident ".length()).split(":")[0];
    String suggestionTs = postedTs("incident:" + incident);
    requests.send(requests.press(DMITRI, "rebound_start_run", incident + " cache-restore 1", suggestionTs, null,
        Instant.now()));
    SlackFake.Call status = slack.awaitOne("chat.postMessage",
        c -> suggestionTs.equals(c.field("thread_ts")) && c.field("text").startsWith("Run "));
    String run = status.field("text").split(" ")[1];
    slack.awaitOne("chat.postMessage", c -> c.field("text").equals("Approval needed: step pause of run " + run));
    return new RunInThread(run, suggestionTs, postedTs("approval:" + run + "/pause/1"));
  }

  /** {@code POST path} as alice (approver) would from the console; it must succeed. Its answer. */
  private static JsonNode asAlice(String path, JsonObject body) throws Exception {
    return asAlice(api, path, body);
  }

  /** {@code POST path} as alice through the replica {@code via} answers for. */
  private static JsonNode asAlice(WebClient via, String path, JsonObject body) throws Exception {
    String alice = new TokenStore(running.database().pool()).issue("alice", Role.APPROVER, "t").await(10, SECONDS)
        .token();
    HttpResponse<Buffer> res = via.post(path).bearerTokenAuthentication(alice).sendJsonObject(body).await(30, SECONDS);
    assertThat(res.statusCode()).as(path + ": " + res.bodyAsString()).isEqualTo(200);
    return json(res.bodyAsString());
  }

  /** The approval request was updated in place to {@code text} alone, without its buttons. */
  private static void assertClosedWith(SlackFake.Call update, String text) throws Exception {
    assertThat(update.field("text")).isEqualTo(text);
    assertThat(update.blocks()).isEqualTo(json("[{\"type\": \"section\", \"text\": {\"type\": \"mrkdwn\","
        + " \"text\": " + SlackFake.JSON.writeValueAsString(text) + "}}]"));
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
