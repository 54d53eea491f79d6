package dev.rebound.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.rebound.testing.TestDatabase;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web console in Debian's Chromium (headless, one browser for the class, one context per
 * person), against the service with the bundled runbooks and knowledge and the demo platform they
 * heal. Each scenario clicks through the console as the person would; the Java API client only
 * does what another person does elsewhere, and checks what the screen claims.
 *
 * <p>Screenshots of the main pages go to {@code target/screenshots/}.
 */
class ConsoleIT {
  @RegisterExtension @Order(1) static final TestDatabase db = TestDatabase.create();

  @RegisterExtension @Order(2) static final ConsoleSession console = new ConsoleSession(db);
  static RecoveryStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = console.stack();
  }

  @Test
  void an_incident_goes_from_report_to_recovered_with_live_approvals() throws Exception {
    stack.demo.reset().await();
    stack.demo.faults().degenerateModel().await();
    Page dmitri = console.signIn("dmitri");
    assertThat(dmitri.locator("#who-role")).hasText("responder");
    assertThat(dmitri.locator("table.list tbody tr").first()).isVisible();
    ConsoleSession.shoot(dmitri, "incidents");

    // The alert reported it a minute ago and that incident is still open: the console's page of the
    // person's report must show it as possibly the same problem, not as history with no resolution.
    String alerted = stack.api("alice", "/api/incidents", Map.of("title", "ModelPredictionSanityFailed for ranker",
        "severity", "sev2", "assets", java.util.List.of("models.ranker"),
        "symptoms", java.util.List.of("ModelPredictionSanityFailed"))).json().path("id").asText();
    dmitri.getByText("Open an incident").click();
    dmitri.getByLabel("Title").fill("Ranker predictions all 0.5 since this morning's deploy");
    dmitri.getByLabel("What is broken").fill("ModelPredictionSanityFailed\nranker predictions constant\n"
        + "conversion dropped right after a new model version");
    dmitri.getByLabel("models.ranker").check();
    dmitri.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open incident")).click();
    expectUrl(dmitri, "#/incidents/INC-\\d{4}-\\d{3}$");
    String incidentId = dmitri.url().replaceAll(".*#/incidents/", "");

    // Similar past incidents, each with how it was resolved and the runbook used.
    Locator similar = dmitri.locator("ol.similar > li");
    assertThat(similar.first()).containsText("Resolution");
    assertThat(dmitri.locator("ol.similar")).containsText("model-rollback@1");
    Locator alertedCard = similar.filter(new Locator.FilterOptions().setHasText(alerted));
    assertThat(alertedCard.locator(".badge.unresolved")).hasText("open now: possibly the same problem");
    assertThat(alertedCard.locator("dd").first()).hasText("none yet");
    assertThat(dmitri.locator(".clock-text")).containsText("Tightest RTO");
    Locator best = dmitri.locator("ol.cards li.best");
    assertThat(best).containsText("model-rollback");
    // Nothing was drilled in this stack: the suggestion and the runbook page say so.
    assertThat(best.locator(".drill-flag")).hasText("never drilled");
    ConsoleSession.shoot(dmitri, "incident");

    best.locator("a").first().click();
    assertThat(dmitri.locator("h1")).containsText("Roll a model back");
    assertThat(dmitri.locator(".heading .drill-flag")).hasText("never drilled");
    // The API's parameter validation, shown at the field.
    dmitri.getByLabel("model_version").fill("eleven");
    dmitri.locator("#start-run").click();
    assertThat(dmitri.locator("#param-model_version-problem")).not().isEmpty();
    assertThat(dmitri.getByLabel("model_version")).hasAttribute("aria-invalid", "true");
    // The registry's approved versions are offered (the runbook's choices query): one click fills the field.
    Locator candidates = dmitri.locator(".field:has(#param-model_version) ul.choices li");
    assertThat(candidates.first()).containsText("model ");
    candidates.filter(new Locator.FilterOptions().setHasText(Pattern.compile("^11 model ranker, "))).getByRole(
        AriaRole.BUTTON).click();
    assertThat(dmitri.getByLabel("model_version")).hasValue("11");
    assertThat(dmitri.getByLabel("model_version")).isFocused();
    dmitri.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Render plan")).click();
    assertThat(dmitri.locator("ol.steps")).containsText("\"version\": \"11\""); // rendered with the values
    assertThat(dmitri.locator("ol.steps > li")).hasCount(7);
    ConsoleSession.shoot(dmitri, "runbook");
    dmitri.locator("#start-run").click();
    expectUrl(dmitri, "#/runs/run_");
    String runId = dmitri.url().replaceAll(".*#/runs/", "");
    assertThat(stack.api("alice", "/api/runs/" + runId, null).json().path("incident_id").asText()).isEqualTo(incidentId);

    // Marks this document: if the page reloaded, the mark would be gone.
    dmitri.evaluate("window.__sameDocument = true");
    approveIn(dmitri, "record-current");
    approveIn(dmitri, "lookup-target");
    approveIn(dmitri, "verify-integrity");

    // A medium-risk step: the responder is told why he cannot approve; an approver elsewhere does,
    // and dmitri's timeline moves without him touching it.
    assertThat(dmitri.locator("#cannot-approve")).containsText("responder");
    assertThat(dmitri.locator("button[data-action=approve]")).hasCount(0);
    Page alice = console.signIn("alice");
    // Asked on the incident page where things stand, the guided chat answers with the run first.
    alice.navigate(stack.url() + "/#/incidents/" + incidentId);
    alice.getByLabel("Message to the agent").fill("where are we?");
    alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).press("Enter");
    Locator activeRun = alice.locator("section.chat .bubble.assistant .active-run");
    assertThat(activeRun).containsText("model-rollback v1 is running, waiting for approval of step point-registry");
    assertThat(activeRun.locator("a")).hasAttribute("href", "#/runs/" + runId);
    alice.navigate(stack.url() + "/#/runs/" + runId);
    assertThat(alice.locator("#approval-hash")).hasText(waitingHash(runId, "point-registry"));
    assertThat(alice.locator("#approval-targets")).hasText("registry.models");
    assertThat(alice.locator("#approval-expiry")).containsText("single use");
    approveIn(alice, "point-registry");
    assertThat(dmitri.locator("li[data-step=point-registry]")).hasAttribute("data-state", "succeeded");
    assertThat(dmitri.locator("ol.events")).containsText("step.succeeded");

    // High risk: two approvers, neither the requester; bruno sees that alice already approved.
    approveIn(alice, "load-primary");
    Page bruno = console.signIn("bruno");
    bruno.navigate(stack.url() + "/#/runs/" + runId);
    assertThat(bruno.locator("#approved-by")).containsText("alice");
    ConsoleSession.shoot(bruno, "run-approval");
    approveIn(bruno, "load-primary");
    approveIn(alice, "load-standby");
    approveIn(dmitri, "mark-bad");

    try {
      assertThat(dmitri.locator("#run-state")).hasAttribute("data-state", "succeeded");
    } catch (AssertionError e) {
      // Say why the run did not succeed (which step or validation check), not only that it did not.
      JsonNode run = stack.api("alice", "/api/runs/" + runId, null).json();
      throw new AssertionError("run " + runId + " is " + run.path("state").asText() + ": " + run.path("error").asText()
          + "; steps: " + run.path("steps"), e);
    }
    assertThat(dmitri.locator(".decision.done")).containsText("Recovered");
    assertThat(dmitri.locator("li[data-step]")).hasCount(7);
    for (Locator step : dmitri.locator("li[data-step]").all()) {
      assertThat(step).hasAttribute("data-state", "succeeded");
    }
    assertThat(dmitri.locator("table.checks tr.pass").first()).isVisible();
    assertThat((Boolean) dmitri.evaluate("window.__sameDocument === true")).as("no reload").isTrue();
    ConsoleSession.shoot(dmitri, "run");

    // Back on the incident page, the run is listed; the listings the console reads say the same.
    dmitri.navigate(stack.url() + "/#/incidents/" + incidentId);
    assertThat(dmitri.locator("table.list a[href='#/runs/" + runId + "']")).isVisible(); // the chat links it too
    JsonNode runs = stack.api("grace", "/api/runs?incident=" + incidentId, null).json().path("runs");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).path("id").asText()).isEqualTo(runId);
    assertThat(runs.get(0).path("state").asText()).isEqualTo("succeeded");
    // Newest first; the alert's incident may share the second the console's form stamps.
    JsonNode newest = stack.api("grace", "/api/incidents", null).json().path("incidents");
    JsonNode reported = java.util.stream.StreamSupport.stream(newest.spliterator(), false).limit(2)
        .filter(i -> i.path("id").asText().equals(incidentId)).findFirst().orElseThrow();
    assertThat(reported.path("status").asText()).isEqualTo("open");
    RecoveryStack.Reply noIncident = stack.api("grace", "/api/runs", null);
    assertThat(noIncident.status()).isEqualTo(400);
    assertThat(noIncident.json().path("error").path("message").asText()).contains("incident is required");

    // After the recovery: resolve it (a blank root cause is refused with the server's reason), then the draft.
    dmitri.getByLabel("Root cause").fill("   ");
    dmitri.getByLabel("Resolution").fill("Rolled the ranker back to the last good version.");
    Locator resolve = dmitri.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resolve incident"));
    resolve.press("Enter");
    assertThat(dmitri.locator("main [role=alert]")).containsText("root_cause is required");
    // Refused: someone on a keyboard is still at the button (disabling it while it was busy dropped the focus).
    assertThat(resolve).isFocused();
    dmitri.getByLabel("Root cause").fill("A degenerate ranker version (constant 0.5) passed the deploy gate.");
    resolve.click();
    assertThat(dmitri.locator(".heading .badge.resolved")).hasText("resolved");
    Locator resolution = dmitri.locator("dl.resolution");
    assertThat(resolution).containsText("A degenerate ranker version");
    assertThat(resolution.locator("a")).hasText("model-rollback@1"); // the runbook of the run that recovered it
    assertThat(resolution.locator("a")).hasAttribute("href", "#/runbooks/model-rollback");

    dmitri.getByText("Postmortem draft").click();
    assertThat(dmitri.locator("main h1")).hasText("Postmortem draft: Ranker predictions all 0.5 since this morning's deploy");
    assertThat(dmitri.locator("pre.markdown")).containsText("A degenerate ranker version");
    assertThat(dmitri.locator("section[aria-labelledby=sec-timeline]")).containsText("incident.resolved by dmitri");
    assertThat(dmitri.locator("section[aria-labelledby=sec-open-questions]")).isVisible();
    assertThat(dmitri.locator("section[aria-labelledby=sec-open-questions]")).not().containsText("root cause");
    ConsoleSession.shoot(dmitri, "postmortem");
  }

  @Test
  void a_step_that_fails_is_rolled_back_from_the_run_page() throws Exception {
    String runId = runWhoseLoadPrimaryWillFail();
    Page alice = console.signIn("alice");
    alice.navigate(stack.url() + "/#/runs/" + runId);
    alice.evaluate("window.__sameDocument = true");
    stack.approveOverApi(runId, "load-primary", "alice", "bruno");

    // Loading the model fails, and the page offers the way back.
    assertThat(alice.locator("li[data-step=load-primary]")).hasAttribute("data-state", "failed");
    assertThat(alice.locator(".decision.attention")).containsText("load-primary failed");
    ConsoleSession.shoot(alice, "run-failed");
    alice.onDialog(dialog -> dialog.accept());
    alice.locator("button[data-action=rollback]").click();

    assertThat(alice.locator("#run-state")).hasAttribute("data-state", "rolled_back");
    assertThat(alice.locator("li[data-step=point-registry]")).hasAttribute("data-state", "rolled_back");
    assertThat(alice.locator("li[data-step=point-registry] .undo")).containsText("done");
    assertThat(alice.locator("ol.events")).containsText("run.rolled_back");
    assertThat((Boolean) alice.evaluate("window.__sameDocument === true")).as("no reload").isTrue();
    // What the page says happened did happen: the registry points at version 12 again.
    JsonNode deployment = stack.api("alice", "/api/runs/" + runId, null).json();
    assertThat(deployment.path("state").asText()).isEqualTo("rolled_back");
    java.net.http.HttpResponse<String> registry = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.demo.url() + "/registry/models/ranker/deployment")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(RecoveryStack.JSON.readTree(registry.body()).path("ref").asText()).isEqualTo("ranker@12");
  }

  /**
   * Aborted after a step failed: the registry still points at version 11 (an aborted run is not
   * rolled back), and the page says so, with the undo a person must run by hand. Before, it said
   * "Aborted." and nothing more.
   */
  @Test
  void an_aborted_run_says_what_it_left_in_effect_and_how_to_undo_it() throws Exception {
    String runId = runWhoseLoadPrimaryWillFail();
    Page alice = console.signIn("alice");
    alice.navigate(stack.url() + "/#/runs/" + runId);
    stack.approveOverApi(runId, "load-primary", "alice", "bruno");
    assertThat(alice.locator("li[data-step=load-primary]")).hasAttribute("data-state", "failed");
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    alice.onDialog(dialog -> {
      asked.add(dialog.message());
      dialog.accept();
    });
    alice.locator("button[data-action=abort]").click();

    assertThat(alice.locator("#run-state")).hasAttribute("data-state", "aborted");
    // The question said what an abort leaves, while rolling back was still possible.
    assertThat(asked).singleElement().asString()
        .contains("What the steps that ran changed stays: an abort undoes nothing")
        .contains("choose Roll back instead");
    RecoveryStack.Reply late = stack.api("alice", "/api/runs/" + runId + "/rollback", java.util.Map.of());
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().path("error").path("message").asText()).contains("aborted and has ended")
        .contains("left_in_effect");
    Locator left = alice.locator("#left-in-effect");
    assertThat(left.locator("li")).hasCount(1);
    assertThat(left.locator("li[data-step=point-registry]")).containsText(
        "point-registry Make the target version the registry's current deployment · undo: POST " + stack.demo.url()
            + "/registry/deployments");
    assertThat(left).containsText("The run has ended, so Rebound will not run this undo: do it by hand.");
    assertThat(alice.locator("button[data-action=rollback]")).hasCount(0);
  }

  @Test
  void a_retried_step_asks_again_and_shows_the_failed_attempts_approvals_as_that_attempts() throws Exception {
    String runId = runWhoseLoadPrimaryWillFail();
    Page alice = console.signIn("alice");
    alice.navigate(stack.url() + "/#/runs/" + runId);
    // What happened before the page opened is in its events, not only what happens after.
    assertThat(alice.locator("ol.events li").first()).containsText("run.created");
    assertThat(alice.locator("ol.events")).containsText("step.succeeded point-registry");
    stack.approveOverApi(runId, "load-primary", "alice", "bruno");
    assertThat(alice.locator("li[data-step=load-primary]")).hasAttribute("data-state", "failed");
    assertThat(alice.locator("ol.events")).containsText("step.failed load-primary");
    assertThat(alice.locator("ol.events li", new Page.LocatorOptions().setHasText("run.created"))).hasCount(1);

    alice.locator("button[data-action=retry]").click();

    // The retry renders the same action and needs approving again: the approvals of the
    // attempt that failed are shown as that attempt's, not as this one's.
    assertThat(alice.locator("section.approval[data-approval-step=load-primary]")).containsText("Attempt 2.");
    assertThat(alice.locator("#approved-by")).hasText("Nobody has approved this attempt yet.");
    assertThat(alice.locator("li[data-step=load-primary] .approvals"))
        .hasText("Approved by alice (approver, attempt 1), bruno (approver, attempt 1)");
    assertThat(alice.locator("li[data-step=point-registry] .approvals")).hasText("Approved by alice (approver)");
  }

  /**
   * A run whose first four steps are approved and done, and whose load-primary will fail: the
   * artifact is replaced after its integrity was verified and the registry moved to it, so
   * serving re-hashes it on load and refuses it (409).
   */
  private String runWhoseLoadPrimaryWillFail() throws Exception {
    stack.demo.reset().await();
    String runId = createRun();
    stack.approveOverApi(runId, "record-current", "dmitri");
    stack.approveOverApi(runId, "lookup-target", "dmitri");
    stack.approveOverApi(runId, "verify-integrity", "dmitri");
    stack.approveOverApi(runId, "point-registry", "alice");
    waitingHash(runId, "load-primary");
    Files.writeString(stack.demo.settings().modelsDir().resolve("ranker-v11.onnx"), "replaced by a partial upload\n");
    return runId;
  }

  @Test
  void a_viewer_sees_no_approve_button_and_the_api_refuses_the_viewer_anyway() throws Exception {
    String runId = createRun();
    Page grace = console.signIn("grace");
    assertThat(grace.locator("#who-role")).hasText("viewer");
    grace.navigate(stack.url() + "/#/runs/" + runId);
    assertThat(grace.locator("section.approval")).containsText("Your approval binds exactly this");
    assertThat(grace.locator("#cannot-approve")).containsText("viewer");
    assertThat(grace.locator("button[data-action=approve]")).hasCount(0);
    assertThat(grace.locator("button[data-action=reject]")).hasCount(0);

    // The same request the button would send, from the viewer's own page and token.
    Object status = grace.evaluate("async ([run, hash]) => (await fetch('/api/runs/' + run + '/steps/record-current/approve', {"
        + " method: 'POST', headers: {'Content-Type': 'application/json',"
        + " Authorization: 'Bearer ' + sessionStorage.getItem('rebound.token')},"
        + " body: JSON.stringify({action_hash: hash})})).status",
        List.of(runId, waitingHash(runId, "record-current")));
    assertThat(status).isEqualTo(403);
    assertThat(stack.api("alice", "/api/runs/" + runId, null).json().path("steps").get(0).path("state").asText())
        .isEqualTo("awaiting_approval");
  }

  @Test
  void the_audit_view_filters_and_verifies_the_chain() throws Exception {
    String runId = createRun();
    Page grace = console.signIn("grace");
    grace.navigate(stack.url() + "/#/audit");
    grace.getByLabel("Run id").fill(runId);
    grace.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply filters")).click();
    assertThat(grace.locator("table.audit")).containsText("run.created");
    for (Locator row : grace.locator("table.audit tbody tr").all()) {
      assertThat(row).containsText(runId);
    }
    grace.locator("#verify-chain").press("Enter");
    assertThat(grace.locator("#verify-result")).containsText("Chain intact.");
    assertThat(grace.locator("#verify-chain")).isFocused();
    ConsoleSession.shoot(grace, "audit");
  }

  /** A model-rollback run to 11 requested by dmitri, over the API. */
  private String createRun() throws Exception {
    RecoveryStack.Reply created = stack.api("dmitri", "/api/runs", Map.of("runbook_id", "model-rollback",
        "params", Map.of("model_name", "ranker", "model_version", "11")));
    assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  private String waitingHash(String runId, String stepId) throws Exception {
    return stack.waitForRun(runId, r -> stepId.equals(r.path("awaiting").path("step_id").asText()))
        .path("awaiting").path("action_hash").asText();
  }

  /**
   * Clicks Approve on the step's card once the page shows it, then waits until the page, told by
   * the event stream, no longer offers this person that approval (the step moved on, or the card
   * lists them among those who approved).
   */
  private static void approveIn(Page page, String stepId) {
    Locator button = page.locator("section.approval[data-approval-step='" + stepId + "'] button[data-action=approve]");
    try {
      button.click(new Locator.ClickOptions().setTimeout(60_000));
    } catch (com.microsoft.playwright.TimeoutError e) {
      throw new AssertionError("no approval of " + stepId + " offered; the page shows: " + page.locator("main").innerText(), e);
    }
    assertThat(button).hasCount(0);
  }

  /** Waits for the page to get to {@code pattern}; on a timeout, says what the page shows instead. */
  private static void expectUrl(Page page, String pattern) {
    try {
      page.waitForURL(Pattern.compile(pattern), new Page.WaitForURLOptions().setTimeout(30_000));
    } catch (com.microsoft.playwright.TimeoutError e) {
      throw new AssertionError("still at " + page.url() + ", showing: " + page.locator("main").innerText()
          + " buttons disabled: " + page.locator("button[disabled]").count(), e);
    }
  }
}
