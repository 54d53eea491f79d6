package dev.rebound.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rebound.app.Bootstrap;
import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.db.TokenStore;
import dev.rebound.engine.EngineSettings;
import dev.rebound.inventory.Role;
import dev.rebound.retrieval.EmbeddingSettings;
import dev.rebound.runbook.Runbook;
import dev.rebound.testing.TestDatabase;
import dev.rebound.testing.TestFiles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slack edge against the whole service as Bootstrap builds it: WireMock plays Slack's Web
 * API and the system the runbooks act on; requests are signed as Slack signs them (the SDK's
 * generator). Covers the walkthrough (command, suggestion, Start run, approvals, thread updates),
 * the signature and replay defences, retries, identity and role refusals, the console-only
 * policy, Slack rate limits, and Alertmanager intake.
 */
@ExtendWith(VertxExtension.class)
class SlackIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  static final Path FIXTURES = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/slack-fixtures");
  static final String ADMIN = "admin-token-for-slack-tests-0123456789";
  static final String DMITRI = "U0DMITRI";
  static final String ALICE = "U0ALICE";
  static final String BRUNO = "U0BRUNO";
  static final String GRACE = "U0GRACE";
  /** The form-encoded text of the rate-limit test's message (OkHttp encodes spaces as %20). */
  static final String RATE_LIMITED = ".*rate(%20|\\+)limited(%20|\\+)outage.*";

  static final SlackFake slack = new SlackFake();
  static final WireMockServer target = new WireMockServer(options().dynamicPort());
  static Bootstrap.Running running;
  static SignedRequests requests;
  static WebClient api;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path tempDir) throws Exception {
    slack.start();
    target.start();
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"ok\": true}")));
    target.stubFor(get("/cache/status").willReturn(aResponse().withStatus(200).withBody("{\"fresh\": true}")));
    Path root = tempDir.resolve("content");
    TestFiles.copyTree(FIXTURES, root);
    ReboundConfig config = ReboundConfig.from(Map.of("DATABASE_URL", db.urlText(), "REBOUND_HTTP_PORT", "0",
        "REBOUND_ADMIN_TOKEN", ADMIN, "SLACK_SIGNING_SECRET", SignedRequests.SECRET,
        "SLACK_BOT_TOKEN", "xoxb-test-bot-token", "SLACK_API_BASE_URL", slack.baseUrl(),
        "TARGET_URL", "http://127.0.0.1:" + target.port()), root.resolve("rebound.yaml"));
    Workspace workspace = new Workspace(config, root.resolve("runbooks"), root.resolve("knowledge"));
    EngineSettings engine = EngineSettings.defaults().withLease(Duration.ofSeconds(2))
        .withPollInterval(Duration.ofMillis(200)).withMaxBackoff(Duration.ofMillis(10));
    running = Bootstrap.start(vertx, workspace, EmbeddingSettings.inProcess(), engine).await(60, SECONDS);
    RunbookApprovalStore approvals = new RunbookApprovalStore(running.database().pool());
    for (Runbook r : workspace.loadRunbooks().runbooks()) {
      approvals.record(r.id(), r.version(), r.contentHash(), "bruno", "slack tests").await(10, SECONDS);
    }
    requests = new SignedRequests(vertx, running.port(), SignedRequests.SECRET);
    api = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(running.port()));
    long deadline = System.currentTimeMillis() + 120_000;
    while (!"fresh".equals(readiness().getString("index"))) {
      assertThat(System.currentTimeMillis()).as("index built: " + readiness()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    requests.close();
    api.close();
    running.close().await(30, SECONDS);
    slack.server.stop();
    target.stop();
  }

  // ---- the walkthrough ------------------------------------------------------------------------

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
        + " \"*Affected assets:* `cache.prices`\\n*Impact:* downstream `api.prices`\\n*Tightest RTO:* 15m"
        + " (api.prices)\"}}"));
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
        + " *low*: 1 approval(s) from responder, approver, admin\"}}, {\"type\": \"section\", \"text\": {\"type\":"
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
    String reloadHash = getJson("/api/runs/" + run).path("awaiting").path("action_hash").asText();
    assertThat(reloadRequest.blocks().get(0).path("text").path("text").asText()).isEqualTo("*Approval needed:* Reload"
        + " the cache from the database\nRun `" + run + "`, step `reload` (attempt 1), risk *high*: 2 approval(s)"
        + " from approver, admin, not the requester");
    String reloadValue = run + " reload 1 " + reloadHash;

    // Grace (viewer) presses Approve: the engine refuses and audits; she is told why, privately.
    requests.send(requests.press(GRACE, "rebound_approve", reloadValue, reloadTs, suggestionTs, Instant.now()));
    SlackFake.Call refusal = slack.awaitOne("chat.postEphemeral", c -> GRACE.equals(c.field("user")));
    assertThat(refusal.field("text")).startsWith("Not done: ");
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

  // ---- signatures, replays, retries --------------------------------------------------------------

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

  // ---- policy and Slack's own failures ----------------------------------------------------------

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

  // ---- Alertmanager --------------------------------------------------------------------------------

  @Test
  void alertmanager_groups_open_one_incident_with_suggestions_and_resolved_alerts_are_noted() throws Exception {
    String token = new TokenStore(running.database().pool()).issue("alertmanager", Role.RESPONDER, "webhook")
        .await(10, SECONDS).token();
    String viewer = new TokenStore(running.database().pool()).issue("grace", Role.VIEWER, "t").await(10, SECONDS)
        .token();
    JsonObject firing = alertmanager("firing", "firing");
    assertThat(postAlert(firing, null).statusCode()).isEqualTo(401);
    assertThat(postAlert(firing, viewer).statusCode()).isEqualTo(403);

    HttpResponse<Buffer> created = postAlert(firing, token);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject body = created.bodyAsJsonObject();
    String incident = body.getString("incident_id");
    assertThat(body.getString("result")).isEqualTo("created");
    assertThat(body.getJsonArray("assets")).containsExactly("cache.prices");
    assertThat(body.getJsonArray("downstream")).containsExactly("api.prices");
    JsonArray similar = body.getJsonObject("suggestions").getJsonArray("similar_incidents");
    assertThat(similar).hasSize(3);
    assertThat(similar.getJsonObject(0).getString("id")).isIn("INC-2025-001", "INC-2025-002");
    assertThat(body.getJsonObject("suggestions").getJsonArray("suggested_runbooks").getJsonObject(0).getString("id"))
        .isEqualTo("cache-restore");
    JsonNode stored = getJson("/api/incidents/" + incident);
    assertThat(stored.path("title").asText()).isEqualTo("Price cache is serving stale prices");
    assertThat(stored.path("severity").asText()).isEqualTo("sev2");
    assertThat(stored.path("detected_by").asText()).isEqualTo("alert");
    assertThat(stored.path("symptoms").toString()).contains("PriceCacheStale", "PriceApiErrors");

    SlackFake.Call posted = slack.awaitOne("chat.postMessage",
        c -> c.field("text").equals("Incident " + incident + ": Price cache is serving stale prices"));
    assertThat(posted.field("channel")).isEqualTo("#incidents");
    String ts = postedTs("incident:" + incident);

    HttpResponse<Buffer> again = postAlert(firing, token);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getString("incident_id")).isEqualTo(incident);
    assertThat(again.bodyAsJsonObject().getString("result")).isEqualTo("unchanged");

    HttpResponse<Buffer> resolved = postAlert(alertmanager("firing", "resolved"), token);
    assertThat(resolved.statusCode()).isEqualTo(200);
    assertThat(resolved.bodyAsJsonObject().getJsonArray("resolved")).containsExactly("PriceApiErrors");
    assertThat(resolved.bodyAsJsonObject().getString("incident_id")).isEqualTo(incident);

    slack.awaitOne("chat.postMessage", c -> ts.equals(c.field("thread_ts"))
        && c.field("text").equals(":large_green_circle: Resolved: PriceApiErrors"));
    assertThat(slack.calls("chat.postMessage", c -> c.field("text").startsWith("Incident " + incident))).hasSize(1);
    assertThat(incidentsTitled("Price cache is serving stale prices")).isEqualTo(1);

    HttpResponse<Buffer> bad = postAlert(new JsonObject().put("version", "4").put("alerts", new JsonArray()), token);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsString()).contains("groupKey: required", "alerts: expected a non-empty array");
  }

  private static JsonObject alertmanager(String stale, String errors) {
    JsonObject labels = new JsonObject().put("severity", "error").put("asset", "cache.prices");
    return new JsonObject().put("version", "4").put("groupKey", "{}:{service=\"prices\"}").put("status",
            stale.equals("firing") || errors.equals("firing") ? "firing" : "resolved")
        .put("receiver", "rebound").put("groupLabels", new JsonObject().put("service", "prices"))
        .put("commonLabels", new JsonObject().put("service", "prices").put("severity", "error"))
        .put("commonAnnotations", new JsonObject().put("summary", "Price cache is serving stale prices"))
        .put("externalURL", "http://alertmanager.example.test:9093")
        .put("alerts", new JsonArray()
            .add(new JsonObject().put("status", stale).put("fingerprint", "a1b2c3d4e5f60718")
                .put("labels", labels.copy().put("alertname", "PriceCacheStale"))
                .put("annotations", new JsonObject().put("description", "cache age 42m > 10m"))
                .put("startsAt", "2026-01-05T10:00:00.123456789Z").put("endsAt", "0001-01-01T00:00:00Z"))
            .add(new JsonObject().put("status", errors).put("fingerprint", "0f1e2d3c4b5a6978")
                .put("labels", labels.copy().put("alertname", "PriceApiErrors"))
                .put("annotations", new JsonObject().put("description", "5xx at 4%"))
                .put("startsAt", "2026-01-05T10:01:00Z")));
  }

  private static HttpResponse<Buffer> postAlert(JsonObject body, String token) throws Exception {
    var request = api.post("/api/alerts/alertmanager");
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.sendJsonObject(body).await(30, SECONDS);
  }

  // ---- helpers ----------------------------------------------------------------------------------------

  private static JsonObject readiness() throws Exception {
    HttpResponse<Buffer> ready = api.get("/health/ready").send().await(10, SECONDS);
    return ready.bodyAsJsonObject().getJsonObject("details").getJsonObject("retrieval");
  }

  private static JsonNode getJson(String path) throws Exception {
    HttpResponse<Buffer> res = api.get(path).bearerTokenAuthentication(ADMIN).send().await(10, SECONDS);
    assertThat(res.statusCode()).as(path + ": " + res.bodyAsString()).isEqualTo(200);
    return SlackFake.JSON.readTree(res.bodyAsString());
  }

  private static JsonNode json(String text) throws Exception {
    return SlackFake.JSON.readTree(text);
  }

  private static String postedTs(String subject) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      String ts = postedTsOrNull(subject);
      if (ts != null && !ts.equals("pending")) {
        return ts;
      }
      assertThat(System.currentTimeMillis()).as("slack message for " + subject).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static String postedTsOrNull(String subject) throws Exception {
    try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement(
        "select ts from slack_messages where subject = ?")) {
      s.setString(1, subject);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private static long audit(String action, String actor) throws Exception {
    try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement(
        "select count(*) from audit_log where action = ? and actor_id = ?")) {
      s.setString(1, action);
      s.setString(2, actor);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private static List<String> incidents(String title) throws Exception {
    List<String> ids = new ArrayList<>();
    try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement("select id from incidents where title = ?")) {
      s.setString(1, title);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          ids.add(r.getString(1));
        }
      }
    }
    return ids;
  }

  private static long incidentsTitled(String title) throws Exception {
    return incidents(title).size();
  }

  private static List<String> awaitIncidentsTitled(String title, int count) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (incidents(title).size() < count) {
      assertThat(System.currentTimeMillis()).as("incident " + title).isLessThan(deadline);
      Thread.sleep(50);
    }
    return incidents(title);
  }

  private static void awaitTarget(String path, int count) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (target.findAll(postRequestedFor(urlEqualTo(path))).size() < count) {
      assertThat(System.currentTimeMillis()).as("target call " + path).isLessThan(deadline);
      Thread.sleep(50);
    }
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
