package dev.rebound.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.rebound.engine.EngineFixture.actionHash;
import static dev.rebound.engine.EngineFixture.person;
import static dev.rebound.engine.EngineFixture.runIs;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rebound.config.SettleSettings;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.runbook.Runbook;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service needs a moment after a change: a step's verify, a run's final validation and the
 * invariants after a rollback are re-checked within the settle window before they fail, each
 * attempt on the record; preconditions are judged on their first result, before anything runs.
 * The target is a WireMock server whose answers change from one request to the next (scenarios).
 */
@ExtendWith(VertxExtension.class)
class SettleIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension
  static final WireMockExtension target = WireMockExtension.newInstance().options(options().dynamicPort()).build();
  static final Duration INTERVAL = Duration.ofMillis(200);

  @TempDir Path tempDir;
  EngineFixture fixture;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    target.resetAll();
    target.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200).withBody("{\"ok\": true}")));
    fixture = new EngineFixture(vertx, db, target, tempDir);
    Files.copy(EngineFixture.FIXTURES.resolveSibling("engine-settle").resolve("settle.yaml"),
        fixture.runbookFile("settle"));
    Runbook settle = fixture.workspace.loadRunbooks().get("settle").orElseThrow();
    new RunbookApprovalStore(fixture.database.pool())
        .record(settle.id(), settle.version(), settle.contentHash(), "bruno", "settle tests").await(10, SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @Test
  void a_validation_that_fails_at_first_and_passes_within_the_window_succeeds_the_run() throws Exception {
    failFirst("/settle/version", 2);
    Engine engine = fixture.engine(EngineFixture.settings(), new SettleSettings(Duration.ofSeconds(10), INTERVAL));
    String runId = startAndApproveReload(engine);

    JsonNode done = fixture.await(engine, runId, runIs("succeeded"));

    // Two failed answers, then a pass; then one full pass confirms every check together. Only the
    // failing check was re-run in between: the canary was asked twice (both full passes).
    target.verify(4, getRequestedFor(urlEqualTo("/settle/version")));
    target.verify(2, getRequestedFor(urlEqualTo("/settle/canary")));
    List<JsonNode> attempts = fixture.audit(runId, SettledChecks.SETTLING);
    assertThat(attempts).extracting(a -> a.path("attempt").asInt()).containsExactly(0, 1, 2);
    assertThat(attempts).allMatch(a -> a.path("phase").asText().equals("validation"));
    assertThat(passedOf(attempts.get(0), "new version served")).isFalse();
    assertThat(passedOf(attempts.get(1), "new version served")).isFalse();
    assertThat(passedOf(attempts.get(2), "new version served")).isTrue();
    assertThat(attempts.get(1).path("results")).hasSize(1); // a re-run of the failing check alone
    // The verdict is the last, full pass; every attempt's results are in the run's checks.
    assertThat(fixture.audit(runId, "check.passed")).filteredOn(c -> c.path("phase").asText().equals("validation"))
        .extracting(c -> c.path("attempt").asInt()).containsExactly(3, 3);
    List<String> rows = new ArrayList<>();
    done.path("checks").forEach(c -> rows.add(c.path("phase").asText().equals("precondition") ? "precondition" :c.path("attempt").asInt() + ":" + c.path("name").asText() + ":"
        + c.path("passed").asBoolean()));
    assertThat(rows).containsExactly("precondition", "0:new version served:false", "0:canary answers:true",
        "1:new version served:false", "2:new version served:true", "3:new version served:true", "3:canary answers:true");
    assertThat(lastRunEvent(runId)).isEqualTo("run.succeeded");
  }

  @Test
  void a_validation_that_keeps_failing_fails_the_run_once_the_window_has_passed() throws Exception {
    target.stubFor(get("/settle/version").willReturn(aResponse().withStatus(503).withBody("still loading")));
    Duration window = Duration.ofMillis(1500);
    Engine engine = fixture.engine(EngineFixture.settings(), new SettleSettings(window, INTERVAL));
    long approved = System.nanoTime();
    String runId = startAndApproveReload(engine);

    JsonNode failed = fixture.await(engine, runId, runIs("failed"));

    assertThat(Duration.ofNanos(System.nanoTime() - approved)).isGreaterThanOrEqualTo(window);
    assertThat(failed.path("error").asText()).startsWith("validation check 'new version served'")
        .contains("503").contains("still failing after").contains("within 1500ms");
    assertThat(failed.path("awaiting").path("options").toString()).contains("rollback", "abort");
    List<JsonNode> attempts = fixture.audit(runId, SettledChecks.SETTLING);
    assertThat(attempts.size()).isGreaterThanOrEqualTo(3);
    assertThat(attempts).allMatch(a -> !passedOf(a, "new version served"));
    // Every request but the last was an attempt on the record; the last one is the verdict.
    target.verify(attempts.size() + 1, getRequestedFor(urlEqualTo("/settle/version")));
    JsonNode verdict = fixture.audit(runId, "check.failed").get(0);
    assertThat(verdict.path("attempt").asInt()).isEqualTo(attempts.size());
    assertThat(lastRunEvent(runId)).isEqualTo("run.failed");
  }

  @Test
  void preconditions_are_judged_at_once_while_a_steps_verify_and_the_invariants_after_a_rollback_settle()
      throws Exception {
    Duration window = Duration.ofSeconds(1);
    Engine engine = fixture.engine(EngineFixture.settings(), new SettleSettings(window, INTERVAL));
    // A failing precondition blocks the run at once, and nothing runs: no re-check, no action.
    target.stubFor(get("/settle/ready").willReturn(aResponse().withStatus(503)));
    String runId = fixture.create(engine, "dmitri", "settle", "{}").path("id").asText();
    JsonNode blocked = fixture.await(engine, runId, v -> v.path("waiting_for").asText().contains("preconditions failed"));
    assertThat(blocked.path("steps").get(0).path("state").asText()).isEqualTo("pending");
    Thread.sleep(3 * INTERVAL.toMillis());
    target.verify(1, getRequestedFor(urlEqualTo("/settle/ready")));
    target.verify(0, postRequestedFor(urlEqualTo("/settle/reload")));
    assertThat(fixture.audit(runId, SettledChecks.SETTLING)).isEmpty();

    // Ready now; the step's verify keeps failing: re-checked for the window, then the step fails.
    // Its action ran once: only the read-only check is repeated.
    target.stubFor(get("/settle/ready").willReturn(aResponse().withStatus(200)));
    target.stubFor(get("/settle/reloaded").willReturn(aResponse().withStatus(500)));
    failFirst("/settle/health", 1);
    engine.recheck(person("dmitri"), runId).await(10, SECONDS);
    JsonNode view = fixture.await(engine, runId, EngineFixture.stepIs("reload", "awaiting_approval"));
    long approved = System.nanoTime();
    engine.approve(person("dmitri"), runId, "reload", actionHash(view, "reload")).await(10, SECONDS);
    JsonNode failed = fixture.await(engine, runId, EngineFixture.stepIs("reload", "failed"));
    assertThat(Duration.ofNanos(System.nanoTime() - approved)).isGreaterThanOrEqualTo(window);
    assertThat(EngineFixture.step(failed, "reload").path("error").asText()).startsWith("verify check 'reload accepted'")
        .contains("500");
    target.verify(1, postRequestedFor(urlEqualTo("/settle/reload")));
    List<JsonNode> rechecks = fixture.audit(runId, SettledChecks.STEP_SETTLING);
    assertThat(rechecks.size()).isGreaterThanOrEqualTo(2);
    target.verify(rechecks.size() + 1, getRequestedFor(urlEqualTo("/settle/reloaded")));

    // After the rollback the invariant fails once, then passes: the run is rolled back.
    engine.rollback(person("alice"), runId, "reload not accepted").await(10, SECONDS);
    fixture.await(engine, runId, runIs("rolled_back"));
    target.verify(1, postRequestedFor(urlEqualTo("/settle/unload")));
    List<JsonNode> attempts = fixture.audit(runId, SettledChecks.SETTLING);
    assertThat(attempts).extracting(a -> a.path("phase").asText()).containsOnly("invariant");
    assertThat(passedOf(attempts.get(0), "target healthy")).isFalse();
    assertThat(lastRunEvent(runId)).isEqualTo("run.rolled_back");
  }

  /** The run's last audit entry about the run as a whole ({@code run.*}), e.g. how it ended. */
  private String lastRunEvent(String runId) throws Exception {
    List<String> actions = fixture.auditActions(runId).stream().filter(a -> a.startsWith("run.")
        && !a.equals(SettledChecks.SETTLING)).toList();
    return actions.get(actions.size() - 1);
  }

  /** The next {@code failures} GETs of {@code path} answer 503, later ones 200. */
  private static void failFirst(String path, int failures) {
    String scenario = "settle " + path;
    for (int i = 0; i < failures; i++) {
      target.stubFor(get(path).inScenario(scenario).whenScenarioStateIs(i == 0 ? STARTED : "failed " + i)
          .willReturn(aResponse().withStatus(503).withBody("warming up"))
          .willSetStateTo(i + 1 == failures ? "settled" : "failed " + (i + 1)));
    }
    target.stubFor(get(path).inScenario(scenario).whenScenarioStateIs("settled")
        .willReturn(aResponse().withStatus(200).withBody("{\"ok\": true}")));
  }

  private String startAndApproveReload(Engine engine) throws Exception {
    String runId = fixture.create(engine, "dmitri", "settle", "{}").path("id").asText();
    JsonNode view = fixture.await(engine, runId, EngineFixture.stepIs("reload", "awaiting_approval"));
    engine.approve(person("dmitri"), runId, "reload", actionHash(view, "reload")).await(10, SECONDS);
    return runId;
  }

  private static boolean passedOf(JsonNode attempt, String name) {
    for (JsonNode r : attempt.path("results")) {
      if (r.path("name").asText().equals(name)) {
        return r.path("passed").asBoolean();
      }
    }
    throw new AssertionError("no result of '" + name + "' in " + attempt);
  }
}
