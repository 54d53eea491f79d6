package dev.rebound.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.runbook.Runbook;
import dev.rebound.testing.CapturedStderr;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * "Start run" for a runbook that takes parameters: a Slack form asks for them, its submission is
 * bound against the runbook's parameter schemas (problems shown under their inputs, nothing
 * started), and a valid one starts exactly one run with the values typed.
 */
class SlackParamsFormIT extends SlackServiceFixture {

  @Test
  void start_run_asks_for_the_parameters_and_starts_one_run_with_the_values_given() throws Exception {
    String incident = incidentFromCommand("cold price cache after the deploy");
    String ts = postedTs("incident:" + incident);

    requests.send(requests.press(DMITRI, "rebound_start_run", incident + " cache-warm 1", ts, null, Instant.now()));
    SlackFake.Call opened = slack.awaitOne("views.open", c -> c.field("view").contains(incident));
    assertThat(opened.field("trigger_id")).isEqualTo("13345224609.738474920.8088930838d88f008e0");
    JsonNode view = SlackFake.JSON.readTree(opened.field("view"));
    String metadata = incident + " cache-warm 1 " + SignedRequests.CHANNEL + " " + ts;
    assertThat(view.path("callback_id").asText()).isEqualTo("rebound_start_run_params");
    assertThat(view.path("private_metadata").asText()).isEqualTo(metadata);
    JsonNode region = view.path("blocks").get(1);
    JsonNode batch = view.path("blocks").get(2);
    assertThat(region.path("block_id").asText()).isEqualTo("region");
    assertThat(region.path("optional").asBoolean()).isFalse();
    assertThat(region.path("element").has("initial_value")).isFalse();
    assertThat(region.path("hint").path("text").asText()).isEqualTo("string, required. Region whose prices are"
        + " loaded, e.g. eu-west.");
    assertThat(batch.path("block_id").asText()).isEqualTo("batch_size");
    assertThat(batch.path("optional").asBoolean()).isTrue();
    assertThat(batch.path("element").path("initial_value").asText()).isEqualTo("500");
    assertThat(runsOf(incident)).isEmpty();

    HttpResponse<Buffer> invalid = requests.send(requests.submission(DMITRI, metadata,
        Map.of("region", "Europe West", "batch_size", "lots"), "h-1", Instant.now()));
    assertThat(invalid.statusCode()).isEqualTo(200);
    JsonNode errors = json(invalid.bodyAsString());
    assertThat(errors.path("response_action").asText()).isEqualTo("errors");
    assertThat(errors.path("errors").path("region").asText())
        .isEqualTo("param region: \"Europe West\" does not match ^[a-z]{2}-[a-z]+$");
    assertThat(errors.path("errors").path("batch_size").asText()).isEqualTo("param batch_size: \"lots\" is not an integer");
    assertThat(runsOf(incident)).isEmpty();

    // Slack keeps the form open after errors with the same view id and hash: the corrected
    // submission differs only in its values, and must not count as a repeat of the first.
    HttpResponse<Buffer> valid = requests.send(requests.submission(DMITRI, metadata, Map.of("region", "eu-west",
        "batch_size", ""), "h-1", Instant.now()));
    assertThat(valid.statusCode()).isEqualTo(200);
    assertThat(valid.bodyAsString()).as("an empty answer closes the form").isNullOrEmpty();
    slack.awaitOne("chat.postMessage", c -> ts.equals(c.field("thread_ts")) && c.field("text").startsWith("Run ")
        && c.field("text").contains("cache-warm"));
    JsonNode runs = runsOf(incident);
    assertThat(runs).hasSize(1);
    JsonNode run = getJson("/api/runs/" + runs.get(0).path("id").asText());
    assertThat(run.path("params")).isEqualTo(json("{\"region\": \"eu-west\", \"batch_size\": 500}"));
    assertThat(run.path("requested_by").asText()).isEqualTo("dmitri");

    // Slack delivering the same submission again: a new request (its own timestamp, so not a
    // replayed signature, which the guard refuses with 401), the same view and hash.
    HttpResponse<Buffer> replayed = requests.send(requests.submission(DMITRI, metadata, Map.of("region", "eu-west",
        "batch_size", ""), "h-1", Instant.now().plusSeconds(2)));
    assertThat(replayed.statusCode()).isEqualTo(200);
    Thread.sleep(300);
    assertThat(runsOf(incident)).as("the same submission delivered again starts nothing").hasSize(1);
    assertThat(target.findAll(postRequestedFor(urlEqualTo("/cache/warm")))).as("nothing runs before approval").isEmpty();
  }

  @Test
  void a_parameter_with_candidates_is_a_menu_of_them_and_the_value_picked_starts_the_run() throws Exception {
    // Without the regions table the form opened with a text input (the other tests): a failing
    // datasource never keeps the form from opening.
    regions("('us-east', '2024-05-01'), ('eu-west', '2023-01-09')");
    try {
      Form form = startRunForm("cold price cache in one region");
      String incident = form.incident();
      String ts = form.ts();
      JsonNode region = form.region();
      assertThat(region.path("element").path("type").asText()).isEqualTo("static_select");
      assertThat(region.path("element").path("action_id").asText()).isEqualTo("value");
      assertThat(region.path("element").path("options")).isEqualTo(json("[{\"text\": {\"type\": \"plain_text\","
          + " \"text\": \"eu-west · served_since 2023-01-09\"}, \"value\": \"eu-west\"}, {\"text\": {\"type\":"
          + " \"plain_text\", \"text\": \"us-east · served_since 2024-05-01\"}, \"value\": \"us-east\"}]"));
      // The description ends with its own full stop: the hint goes on without a second one.
      assertThat(region.path("hint").path("text").asText()).isEqualTo("string, required. Region whose prices are"
          + " loaded, e.g. eu-west. Not listed? Start the run in the console:"
          + " https://rebound.example.test/#/runbooks/cache-warm");

      String metadata = incident + " cache-warm 1 " + SignedRequests.CHANNEL + " " + ts;
      HttpResponse<Buffer> picked = requests.send(requests.submission(DMITRI, "rebound_start_run_params", metadata,
          Map.of("batch_size", ""), Map.of("region", "us-east"), "h-pick", Instant.now()));
      assertThat(picked.bodyAsString()).as("an empty answer closes the form").isNullOrEmpty();
      JsonNode runs = runsOf(incident);
      assertThat(runs).hasSize(1);
      assertThat(getJson("/api/runs/" + runs.get(0).path("id").asText()).path("params"))
          .isEqualTo(json("{\"region\": \"us-east\", \"batch_size\": 500}"));
    } finally {
      sql("drop schema slack_fixture cascade");
    }
  }

  @Test
  void candidates_too_long_for_a_slack_menu_leave_a_text_input_not_an_empty_menu() throws Exception {
    // Slack's option value holds 150 characters: an empty menu, which views.open refuses, would keep the form shut.
    regions("('" + "r".repeat(151) + "', '2024-05-01')");
    try {
      JsonNode region = startRunForm("cold price cache in a long-named region").region();
      assertThat(region.path("element").path("type").asText()).isEqualTo("plain_text_input");
      assertThat(region.path("hint").path("text").asText()).doesNotContain("Not listed?");
    } finally {
      sql("drop schema slack_fixture cascade");
    }
  }

  /**
   * Three parameters whose candidates take about a second each to read: one after another they
   * took longer than the 3 s Slack gives a press to open its form (Slack refuses the form then);
   * read at once, under the one 1.5 s limit the form has for them all, the form opens in time
   * with all three as menus. A read slower than that limit leaves only its own parameter a text
   * input.
   */
  @Test
  void slow_candidate_queries_are_read_at_once_and_only_one_that_is_too_slow_falls_back_to_a_text_input()
      throws Exception {
    Path slow = slowMenus("slow-menus", 1.1, 1.1, 1.1);
    Path tooSlow = slowMenus("slower-menus", 1, 3);
    try {
      Form form = startRunForm("slow menus of regions for the warm-up", "slow-menus");
      assertThat(Duration.between(form.pressed(), form.opened())).as("Slack opens a form within 3 s of the press")
          .isLessThan(Duration.ofSeconds(3));
      for (int i = 1; i <= 3; i++) {
        JsonNode input = form.view().path("blocks").get(i);
        assertThat(input.path("block_id").asText()).isEqualTo("region_" + i);
        assertThat(input.path("element").path("type").asText()).isEqualTo("static_select");
        assertThat(input.path("element").path("options").get(0).path("value").asText()).isEqualTo("eu-west");
      }

      List<String> logged;
      Form slower;
      try (CapturedStderr stderr = CapturedStderr.start()) {
        slower = startRunForm("slower menus of regions for the warm-up", "slower-menus");
        // The late read ends when its statement is cancelled at the deadline, after the form opened.
        Thread.sleep(2_000);
        logged = stderr.lines();
      }
      assertThat(Duration.between(slower.pressed(), slower.opened())).isLessThan(Duration.ofSeconds(3));
      assertThat(slower.view().path("blocks").get(1).path("element").path("type").asText()).isEqualTo("static_select");
      assertThat(slower.view().path("blocks").get(2).path("block_id").asText()).isEqualTo("region_2");
      assertThat(slower.view().path("blocks").get(2).path("element").path("type").asText())
          .isEqualTo("plain_text_input");
      assertThat(logged.stream().filter(line -> line.contains("param region_2")))
          .as("the late parameter is logged once, as late, not again when its read ends")
          .singleElement().asString().contains("not read within 1500 ms");
    } finally {
      Files.delete(slow);
      Files.delete(tooSlow);
    }
  }

  /**
   * A runbook, approved, in the service's own copy of the runbooks: parameter {@code region_N}'s
   * candidates take {@code seconds[N - 1]} to read.
   */
  private static Path slowMenus(String id, double... seconds) throws Exception {
    StringBuilder params = new StringBuilder();
    for (int i = 0; i < seconds.length; i++) {
      params.append("  region_").append(i + 1).append(":\n    type: string\n    choices: {datasource: cache, sql: \"select")
          .append(" 'eu-west' as region from pg_sleep(").append(seconds[i]).append(")\"}\n");
    }
    Path file = content.resolve("runbooks/" + id + ".yaml");
    Files.writeString(file, """
        id: %s
        version: 1
        title: Warm the prices of a few regions
        summary: Load the prices of several regions into the cache; their candidates are slow to read.
        author: carol
        symptoms: [several cold regions]
        assets: [cache.prices]
        params:
        %ssteps:
          - id: warm
            title: Load the regions' prices
            risk: low
            action: {type: http, method: POST, url: "{{env.TARGET_URL}}/cache/warm"}
            idempotent: true
        """.formatted(id, params));
    Runbook runbook = running.services().workspace().loadRunbooks().get(id).orElseThrow();
    new RunbookApprovalStore(running.database().pool()).record(id, 1, runbook.contentHash(), "bruno", "slack tests")
        .await(10, SECONDS);
    return file;
  }

  /** The form Start run opened for a new incident: where it was suggested, the form, when pressed and opened. */
  private record Form(String incident, String ts, JsonNode view, Instant pressed, Instant opened) {
    JsonNode region() {
      return view.path("blocks").get(1);
    }
  }

  private Form startRunForm(String command) throws Exception {
    return startRunForm(command, "cache-warm");
  }

  private Form startRunForm(String command, String runbook) throws Exception {
    String incident = incidentFromCommand(command);
    String ts = postedTs("incident:" + incident);
    Instant pressed = Instant.now();
    requests.send(requests.press(DMITRI, "rebound_start_run", incident + " " + runbook + " 1", ts, null, pressed));
    SlackFake.Call opened = slack.awaitOne("views.open", c -> c.field("view").contains(incident));
    return new Form(incident, ts, SlackFake.JSON.readTree(opened.field("view")), pressed, opened.at());
  }

  /** The regions table cache-warm's region candidates come from, with these rows. */
  private static void regions(String rows) throws Exception {
    sql("create schema slack_fixture");
    sql("create table slack_fixture.regions (region text, served_since date)");
    sql("insert into slack_fixture.regions values " + rows);
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  void a_runbook_changed_since_its_approval_opens_no_form_and_runs_none_of_its_queries() throws Exception {
    String incident = incidentFromCommand("cold cache in sa-east after the deploy");
    String ts = postedTs("incident:" + incident);
    Path file = content.resolve("runbooks/cache-warm.yaml");
    String approved = Files.readString(file);
    Files.writeString(file, approved.replace("order by region", "order by served_since"));
    try {
      requests.send(requests.press(DMITRI, "rebound_start_run", incident + " cache-warm 1", ts, null, Instant.now()));
      SlackFake.Call refused = slack.awaitOne("chat.postEphemeral", c -> DMITRI.equals(c.field("user"))
          && c.field("text").contains("cache-warm"));
      assertThat(refused.field("text")).isEqualTo("Not done: runbook cache-warm v1 cannot be started: NOT APPROVED:"
          + " the file changed after version 1 was approved, active in production");
      assertThat(slack.calls("views.open", c -> c.field("view").contains(incident))).isEmpty();
    } finally {
      Files.writeString(file, approved);
    }
  }

  @Test
  void a_viewer_pressing_start_run_is_refused_at_the_press_before_any_form_opens() throws Exception {
    String incident = incidentFromCommand("cold cache in ap-south after the deploy");
    String ts = postedTs("incident:" + incident);

    requests.send(requests.press(GRACE, "rebound_start_run", incident + " cache-warm 1", ts, null, Instant.now()));
    SlackFake.Call refused = slack.awaitOne("chat.postEphemeral", c -> GRACE.equals(c.field("user")));
    assertThat(refused.field("text")).isEqualTo("Not done: starting a run needs role responder; grace has viewer");
    assertThat(slack.calls("views.open", c -> c.field("view").contains(incident)))
        .as("no parameter form for someone who could not submit it").isEmpty();

    requests.send(requests.press(DMITRI, "rebound_start_run", incident + " cache-warm 1", ts, null,
        Instant.now().plusSeconds(1)));
    slack.awaitOne("views.open", c -> c.field("view").contains(incident));
    assertThat(runsOf(incident)).isEmpty();
  }

  @Test
  void the_same_submission_delivered_twice_at_once_starts_one_run() throws Exception {
    String incident = incidentFromCommand("cold cache in eu-north after the deploy");
    String metadata = incident + " cache-warm 1 " + SignedRequests.CHANNEL + " " + postedTs("incident:" + incident);
    Map<String, String> values = Map.of("region", "eu-north");
    SignedRequests.Signed first = requests.submission(DMITRI, metadata, values, "h-twice", Instant.now());
    SignedRequests.Signed second = requests.submission(DMITRI, metadata, values, "h-twice", Instant.now().plusSeconds(1));

    ExecutorService senders = Executors.newFixedThreadPool(2);
    try {
      Future<HttpResponse<Buffer>> a = senders.submit(() -> requests.send(first));
      Future<HttpResponse<Buffer>> b = senders.submit(() -> requests.send(second));
      assertThat(a.get(30, SECONDS).statusCode()).isEqualTo(200);
      assertThat(b.get(30, SECONDS).statusCode()).isEqualTo(200);
    } finally {
      senders.shutdownNow();
    }
    Thread.sleep(300);
    assertThat(runsOf(incident)).as("one run for one submission, however often it arrives").hasSize(1);
  }

  @Test
  void a_submission_by_someone_rebound_does_not_know_starts_nothing() throws Exception {
    String incident = incidentFromCommand("cold cache in the US after deploy");
    String metadata = incident + " cache-warm 1 " + SignedRequests.CHANNEL + " " + postedTs("incident:" + incident);

    HttpResponse<Buffer> refused = requests.send(requests.submission("U0STRANGER", metadata,
        Map.of("region", "us-east"), "h-3", Instant.now()));
    JsonNode errors = json(refused.bodyAsString());
    assertThat(errors.path("response_action").asText()).isEqualTo("errors");
    assertThat(errors.path("errors").path("region").asText()).contains("U0STRANGER");
    assertThat(runsOf(incident)).isEmpty();
  }

  @Test
  void a_run_whose_preconditions_fail_says_in_its_thread_why_it_waits_and_what_to_do_next() throws Exception {
    target.stubFor(get("/cache/regions/xx-retired").willReturn(aResponse().withStatus(404)));
    String incident = incidentFromCommand("cold cache in a retired region after the deploy");
    String ts = postedTs("incident:" + incident);
    String metadata = incident + " cache-warm 1 " + SignedRequests.CHANNEL + " " + ts;

    requests.send(requests.submission(DMITRI, metadata, Map.of("region", "xx-retired"), "h-blocked", Instant.now()));
    // The engine does not re-check failed preconditions by itself: a thread that only said
    // "proposed" would leave the person waiting for an approval request that never comes.
    SlackFake.Call blocked = slack.awaitOne("chat.postMessage", c -> ts.equals(c.field("thread_ts"))
        && c.field("text").startsWith(":warning: Run blocked"));
    String run = runsOf(incident).get(0).path("id").asText();
    assertThat(blocked.field("text")).isEqualTo(":warning: Run blocked, nothing has run: preconditions failed (the"
        + " region is served by the cache): fix the cause, then recheck or abort in the console:"
        + " https://rebound.example.test/#/runs/" + run);
    String status = awaitStatusContaining(run, "*Waiting for:*");
    assertThat(status).startsWith("*Run* `" + run + "` of `cache-warm` v1 requested by dmitri: *proposed*\n*Waiting for:*"
        + " preconditions failed (the region is served by the cache): fix the cause, then recheck or abort\n");
    Thread.sleep(500);
    assertThat(slack.calls("chat.postMessage", c -> c.field("text").startsWith(":warning: Run blocked")
        && c.field("text").endsWith(run))).as("told once, however often the thread is reconciled").hasSize(1);
  }

  /** The newest text of the run's status message (posted, then updated in place) once it contains {@code part}. */
  private static String awaitStatusContaining(String run, String part) throws Exception {
    String statusTs = postedTs("run:" + run);
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      List<SlackFake.Call> versions = new ArrayList<>(slack.calls("chat.postMessage",
          c -> statusTs.equals(c.field("ts")) || c.field("text").startsWith("Run " + run + " ")));
      versions.addAll(slack.calls("chat.update", c -> statusTs.equals(c.field("ts"))));
      for (SlackFake.Call c : versions) {
        String text = c.blocks().path(0).path("text").path("text").asText();
        if (text.contains(part)) {
          return text;
        }
      }
      assertThat(System.currentTimeMillis()).as("status message of " + run + " with " + part + ": " + versions.stream()
          .map(c -> c.blocks().toString()).toList()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** {@code /rebound TEXT} by Dmitri; the id of the incident it opened. */
  private static String incidentFromCommand(String text) throws Exception {
    requests.send(requests.command(DMITRI, text, "trig-" + text.hashCode(), Instant.now()));
    SlackFake.Call suggestion = slack.awaitOne("chat.postMessage", c -> c.field("text").endsWith(": " + text));
    return suggestion.field("text").substring("Incident ".length()).split(":")[0];
  }

  private static JsonNode runsOf(String incident) throws Exception {
    return getJson("/api/runs?incident=" + incident).path("runs");
  }
}
