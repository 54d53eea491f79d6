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
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Approval requests in Slack kept true to the run when it moves on elsewhere: approved in the
 * console, aborted, abandoned half way (what it left in effect), a step retried after a rejection,
 * and a rejection told late by another replica. Each request is closed once, in place, saying
 * what became of it, and the retry's new request stays open.
 */
class SlackApprovalRequestsIT extends SlackServiceFixture {
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
}
