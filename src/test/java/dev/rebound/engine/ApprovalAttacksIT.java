package dev.rebound.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.rebound.engine.EngineFixture.actionHash;
import static dev.rebound.engine.EngineFixture.person;
import static dev.rebound.engine.EngineFixture.stepIs;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.Role;
import dev.rebound.testing.MutableClock;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way around an approval we could think of: each is refused (or the approved step does not
 * run), is on the record, and the target is never called.
 */
@ExtendWith(VertxExtension.class)
class ApprovalAttacksIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension
  static final WireMockExtension target = WireMockExtension.newInstance().options(options().dynamicPort()).build();
  static final AtomicInteger N = new AtomicInteger(100);

  @TempDir Path tempDir;
  EngineFixture fixture;
  MutableClock clock = new MutableClock();
  Engine engine;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    target.resetAll();
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    fixture = new EngineFixture(vertx, db, target, tempDir);
    // No dispatch on approval and no poller: the test decides when a claim happens.
    engine = fixture.engine(EngineFixture.settings().withDispatchOnApproval(false).withClock(clock));
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  private record Started(String runId, String hash, String path) {}

  private Started start(String runbook, String requester) throws Exception {
    int n = N.incrementAndGet();
    JsonNode view = fixture.create(engine, requester, runbook, "{\"n\": " + n + "}");
    String step = view.path("steps").get(0).path("id").asText();
    return new Started(view.path("id").asText(), actionHash(view, step), "/" + runbook + "/" + n);
  }

  private Throwable approve(Actor actor, Started run, String step, String hash) {
    return catchThrowable(() -> engine.approve(actor, run.runId(), step, hash).await(10, SECONDS));
  }

  private void assertRefused(Started run, Throwable error, Class<?> type, String reason) throws Exception {
    assertThat(error).isInstanceOf(type);
    assertThat(fixture.audit(run.runId(), "approval.refused")).anySatisfy(d ->
        assertThat(d.path("reason").asText()).isEqualTo(reason));
    engine.pollOnce().await(10, SECONDS);
    Thread.sleep(100);
    assertThat(fixture.calls("POST", run.path())).isZero();
  }

  @Test
  void a_viewer_cannot_approve() throws Exception {
    Started run = start("low", "dmitri");
    assertRefused(run, approve(person("grace"), run, "poke", run.hash()), ForbiddenException.class, "role_too_low");
  }

  @Test
  void a_responder_cannot_approve_a_high_risk_step() throws Exception {
    Started run = start("high", "alice");
    assertRefused(run, approve(person("dmitri"), run, "drop", run.hash()), ForbiddenException.class, "role_too_low");
  }

  @Test
  void the_requester_cannot_approve_a_high_risk_step() throws Exception {
    Started run = start("high", "alice");
    assertRefused(run, approve(person("alice"), run, "drop", run.hash()), ForbiddenException.class,
        "requester_cannot_approve");
  }

  @Test
  void the_same_person_cannot_approve_twice() throws Exception {
    Started run = start("high", "dmitri");
    engine.approve(person("alice"), run.runId(), "drop", run.hash()).await(10, SECONDS);
    assertRefused(run, approve(person("alice"), run, "drop", run.hash()), ConflictException.class,
        "already_approved");
    assertThat(fixture.view(engine, run.runId()).path("awaiting").path("approvals_so_far").asInt()).isEqualTo(1);
  }

  @Test
  void concurrent_double_approvals_by_one_person_count_once() throws Exception {
    Started run = start("high", "dmitri");
    var a = engine.approve(person("alice"), run.runId(), "drop", run.hash());
    var b = engine.approve(person("alice"), run.runId(), "drop", run.hash());
    Future.join(a, b).otherwiseEmpty().await(10, SECONDS);
    assertThat(a.succeeded() ^ b.succeeded()).isTrue();
    assertThat(fixture.view(engine, run.runId()).path("steps").get(0).path("state").asText())
        .isEqualTo("awaiting_approval");
  }

  @Test
  void the_agent_cannot_approve_even_when_listed_in_the_team() throws Exception {
    Started run = start("low", "dmitri");
    assertRefused(run, approve(Actor.of("agent", Role.APPROVER, true), run, "poke", run.hash()),
        ForbiddenException.class, "agent_cannot_approve");
  }

  @Test
  void the_drill_bot_cannot_approve_a_live_run() throws Exception {
    Started run = start("low", "dmitri");
    assertRefused(run, approve(Actor.drill(), run, "poke", run.hash()), ForbiddenException.class,
        "drill_bot_on_live_run");
  }

  @Test
  void the_admin_token_names_nobody_and_cannot_approve() throws Exception {
    Started run = start("low", "dmitri");
    assertRefused(run, approve(Actor.of("admin", Role.ADMIN, false), run, "poke", run.hash()),
        ForbiddenException.class, "not_a_person");
  }

  /** Authorisation before validation: who may approve no step learns nothing about what a valid request is. */
  @Test
  void a_viewer_is_refused_before_its_malformed_action_hash_or_missing_reason_is_looked_at() throws Exception {
    Started run = start("low", "dmitri");

    assertRefused(run, approve(person("grace"), run, "poke", "abc"), ForbiddenException.class, "role_too_low");
    assertThat(catchThrowable(() -> engine.reject(person("grace"), run.runId(), "poke", null).await(10, SECONDS)))
        .isInstanceOf(ForbiddenException.class).hasMessageContaining("rejecting a step needs one of responder");
  }

  @Test
  void a_missing_or_malformed_action_hash_is_named_as_such_and_approves_nothing() throws Exception {
    Started run = start("low", "dmitri");

    assertThat(approve(person("alice"), run, "poke", null)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("action_hash is required");
    assertThat(approve(person("alice"), run, "poke", "abc")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("action_hash 'abc' is not a sha256");
    assertThat(approve(person("alice"), run, "poke", run.hash().toUpperCase(java.util.Locale.ROOT)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("is not a sha256");
    engine.pollOnce().await(10, SECONDS);
    fixture.await(engine, run.runId(), stepIs("poke", "awaiting_approval"));
    assertThat(fixture.calls("POST", run.path())).isZero();
  }

  @Test
  void a_wrong_action_hash_is_refused() throws Exception {
    Started run = start("low", "dmitri");
    String other = run.hash().substring(1) + (run.hash().charAt(0) == 'a' ? "b" : "a");
    assertRefused(run, approve(person("alice"), run, "poke", other), ConflictException.class, "action_changed");
  }

  @Test
  void an_approval_of_a_failed_attempt_does_not_approve_its_retry() throws Exception {
    Started run = start("low", "dmitri");
    target.stubFor(any(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(run.path()))
        .willReturn(aResponse().withStatus(500)));
    JsonNode first = fixture.view(engine, run.runId());
    assertThat(first.path("awaiting").path("attempt").asInt()).isEqualTo(1);
    engine.approve(person("alice"), run.runId(), "poke", run.hash(), java.util.OptionalInt.of(1)).await(10, SECONDS);
    engine.pollOnce().await(10, SECONDS);
    fixture.await(engine, run.runId(), stepIs("poke", "failed"));
    engine.retry(person("dmitri"), run.runId(), "poke").await(10, SECONDS);
    JsonNode retried = fixture.view(engine, run.runId());
    // The retry renders the same action: only the attempt tells the old approval card from the new one.
    assertThat(retried.path("awaiting").path("attempt").asInt()).isEqualTo(2);
    assertThat(retried.path("awaiting").path("action_hash").asText()).isEqualTo(run.hash());

    Throwable stale = catchThrowable(() -> engine.approve(person("bruno"), run.runId(), "poke", run.hash(),
        java.util.OptionalInt.of(1)).await(10, SECONDS));
    assertThat(stale).isInstanceOf(ConflictException.class)
        .hasMessage("step poke awaits approval of attempt 2, not the attempt 1 you reviewed: review it again");
    assertThat(fixture.audit(run.runId(), "approval.refused")).anySatisfy(d ->
        assertThat(d.path("reason").asText()).isEqualTo("attempt_changed"));
    engine.pollOnce().await(10, SECONDS);
    assertThat(fixture.view(engine, run.runId()).path("awaiting").path("approvals_so_far").asInt()).isZero();
    assertThat(fixture.calls("POST", run.path())).isEqualTo(1);

    engine.approve(person("bruno"), run.runId(), "poke", run.hash(), java.util.OptionalInt.of(2)).await(10, SECONDS);
    assertThat(fixture.view(engine, run.runId()).path("steps").get(0).path("state").asText()).isEqualTo("approved");
  }

  @Test
  void a_reason_past_the_limit_is_refused_and_changes_nothing() throws Exception {
    Started run = start("low", "dmitri");
    String essay = "x".repeat(Reasons.MAX_CHARS + 1);

    Throwable rejected = catchThrowable(() -> engine.reject(person("alice"), run.runId(), "poke", essay)
        .await(10, SECONDS));
    Throwable aborted = catchThrowable(() -> engine.abort(person("alice"), run.runId(), essay).await(10, SECONDS));
    Throwable rolledBack = catchThrowable(() -> engine.rollback(person("alice"), run.runId(), essay)
        .await(10, SECONDS));

    for (Throwable e : java.util.List.of(rejected, aborted, rolledBack)) {
      assertThat(e).isInstanceOf(ValidationException.class).hasMessageStartingWith(
          "reason is longer than 2000 characters (2001)");
    }
    JsonNode view = fixture.view(engine, run.runId());
    assertThat(view.path("state").asText()).isEqualTo("proposed");
    assertThat(view.path("steps").get(0).path("state").asText()).isEqualTo("awaiting_approval");
    assertThat(fixture.auditActions(run.runId())).doesNotContain("step.rejected", "run.aborted", "rollback.started");
    engine.reject(person("alice"), run.runId(), "poke", "x".repeat(Reasons.MAX_CHARS)).await(10, SECONDS);
  }

  @Test
  void an_approval_is_single_use_replaying_it_is_refused_and_a_forged_state_does_not_run() throws Exception {
    Started run = start("low", "dmitri");
    engine.approve(person("alice"), run.runId(), "poke", run.hash()).await(10, SECONDS);
    engine.pollOnce().await(10, SECONDS);
    fixture.await(engine, run.runId(), EngineFixture.runIs("succeeded"));
    assertThat(fixture.calls("POST", run.path())).isEqualTo(1);

    // Replaying the same request: the run (and its step) is done.
    Throwable replay = approve(person("alice"), run, "poke", run.hash());
    assertThat(replay).isInstanceOf(ConflictException.class);
    assertThat(fixture.audit(run.runId(), "approval.refused")).anySatisfy(d ->
        assertThat(d.path("reason").asText()).isEqualTo("run_not_active"));

    // Someone with database access forges the step back to approved: its approval is used.
    fixture.sql("update run_steps set state = 'approved' where run_id = ?", run.runId());
    engine.pollOnce().await(10, SECONDS);
    fixture.await(engine, run.runId(), stepIs("poke", "awaiting_approval"));
    assertThat(fixture.audit(run.runId(), "approval.invalidated").get(0).path("changes").toString())
        .contains("valid approval", "the run is succeeded");
    assertThat(fixture.calls("POST", run.path())).isEqualTo(1);
  }

  @Test
  void an_expired_approval_does_not_run_the_step() throws Exception {
    Started run = start("low", "dmitri");
    engine.approve(person("alice"), run.runId(), "poke", run.hash()).await(10, SECONDS);
    clock.advance(Duration.ofMinutes(16));
    engine.pollOnce().await(10, SECONDS);
    JsonNode view = fixture.await(engine, run.runId(), stepIs("poke", "awaiting_approval"));
    assertThat(fixture.audit(run.runId(), "approval.invalidated").get(0).path("changes").toString()).contains("expired");
    assertThat(view.path("steps").get(0).path("approvals").get(0).path("valid").asBoolean()).isFalse();
    assertThat(fixture.calls("POST", run.path())).isZero();
  }

  @Test
  void an_expired_first_approval_does_not_count_towards_two() throws Exception {
    Started run = start("high", "dmitri");
    engine.approve(person("alice"), run.runId(), "drop", run.hash()).await(10, SECONDS);
    clock.advance(Duration.ofMinutes(16));
    JsonNode second = engine.approve(person("bruno"), run.runId(), "drop", run.hash()).await(10, SECONDS);
    assertThat(second.path("step_approved").asBoolean()).isFalse();
    assertThat(second.path("approvals").asInt()).isEqualTo(1);
    engine.pollOnce().await(10, SECONDS);
    assertThat(fixture.calls("POST", run.path())).isZero();
  }

  @Test
  void a_changed_rendering_between_approval_and_claim_does_not_run() throws Exception {
    Started run = start("low", "dmitri");
    engine.approve(person("alice"), run.runId(), "poke", run.hash()).await(10, SECONDS);
    // Another instance, whose secret token differs, claims: the real rendering's hash differs.
    Engine other = fixture.engine(EngineFixture.settings(), fixture.config(Map.of("TARGET_TOKEN", "rotated-token-99")));
    other.pollOnce().await(10, SECONDS);
    JsonNode view = fixture.await(engine, run.runId(), stepIs("poke", "awaiting_approval"));
    assertThat(fixture.audit(run.runId(), "approval.invalidated").get(0).path("changes").toString())
        .contains("rendered action changed");
    assertThat(actionHash(view, "poke")).isNotEqualTo(run.hash());
    assertThat(fixture.calls("POST", run.path())).isZero();
    assertThat(fixture.storedAnywhere("rotated-token-99")).isFalse();
  }

  @Test
  void a_runbook_file_changed_before_the_approval_that_claims_the_step_at_once_does_not_run() throws Exception {
    // Dispatch on approval: the last approval claims the step in its own transaction, after
    // the same re-checks; an edit that leaves the step's rendering alone is still caught.
    Engine dispatching = fixture.engine(EngineFixture.settings().withClock(clock));
    Started run = start("low", "dmitri");
    Path file = fixture.runbookFile("low");
    Files.writeString(file, Files.readString(file).replace("Poke the target", "Poke the target harder"));
    JsonNode binding = dispatching.approve(person("alice"), run.runId(), "poke", run.hash()).await(10, SECONDS);
    assertThat(binding.path("step_approved").asBoolean()).isTrue();
    JsonNode view = fixture.await(engine, run.runId(), stepIs("poke", "awaiting_approval"));
    assertThat(fixture.audit(run.runId(), "approval.invalidated").get(0).path("changes").toString())
        .contains("runbook file changed");
    assertThat(fixture.audit(run.runId(), "step.started")).isEmpty();
    assertThat(view.path("steps").get(0).path("approvals").get(0).path("valid").asBoolean()).isFalse();
    Thread.sleep(100);
    assertThat(fixture.calls("POST", run.path())).isZero();
  }

  @Test
  void a_runbook_file_changed_before_the_approval_is_caught_by_the_engine_that_created_the_run() throws Exception {
    // That engine knows the run's runbook and starts reading its file with the approval, before
    // the run's row is in: the read is still of the file as it is at the approval.
    Engine dispatching = fixture.engine(EngineFixture.settings().withClock(clock));
    JsonNode created = fixture.create(dispatching, "dmitri", "low", "{\"n\": " + N.incrementAndGet() + "}");
    String runId = created.path("id").asText();
    Path file = fixture.runbookFile("low");
    Files.writeString(file, Files.readString(file).replace("Poke the target", "Poke the target harder"));
    JsonNode binding = dispatching.approve(person("alice"), runId, "poke", actionHash(created, "poke"))
        .await(10, SECONDS);
    assertThat(binding.path("step_approved").asBoolean()).isTrue();
    fixture.await(engine, runId, stepIs("poke", "awaiting_approval"));
    assertThat(fixture.audit(runId, "approval.invalidated").get(0).path("changes").toString())
        .contains("runbook file changed");
    assertThat(fixture.audit(runId, "step.started")).isEmpty();
    Thread.sleep(100);
    assertThat(target.getAllServeEvents()).isEmpty();
  }

  @Test
  void a_runbook_file_changed_while_a_step_without_checks_ran_fails_the_step() throws Exception {
    // The file is read again once the action returned (on the action's worker): an edit made
    // meanwhile is not taken for the step's success.
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(1000)));
    Engine dispatching = fixture.engine(EngineFixture.settings().withClock(clock));
    JsonNode created = fixture.create(dispatching, "dmitri", "low", "{\"n\": " + N.incrementAndGet() + "}");
    String runId = created.path("id").asText();
    dispatching.approve(person("alice"), runId, "poke", actionHash(created, "poke")).await(10, SECONDS);
    Path file = fixture.runbookFile("low");
    Files.writeString(file, Files.readString(file).replace("Poke the target", "Poke the target harder"));
    JsonNode view = fixture.await(engine, runId, stepIs("poke", "failed"));
    assertThat(EngineFixture.step(view, "poke").path("error").asText())
        .contains("the runbook file changed while the step ran");
    assertThat(fixture.audit(runId, "step.succeeded")).isEmpty();
    assertThat(fixture.audit(runId, "step.failed")).hasSize(1);
  }

  @Test
  void an_approval_that_claims_the_step_at_once_runs_it_once_and_cannot_be_replayed() throws Exception {
    Engine dispatching = fixture.engine(EngineFixture.settings().withClock(clock));
    Started run = start("high", "dmitri");
    JsonNode first = dispatching.approve(person("alice"), run.runId(), "drop", run.hash()).await(10, SECONDS);
    assertThat(first.path("step_approved").asBoolean()).isFalse();
    assertThat(fixture.audit(run.runId(), "step.started")).isEmpty();
    dispatching.approve(person("bruno"), run.runId(), "drop", run.hash()).await(10, SECONDS);
    fixture.await(engine, run.runId(), EngineFixture.runIs("succeeded"));
    Throwable replay = approve(person("bruno"), run, "drop", run.hash());
    assertThat(replay).isInstanceOf(ConflictException.class);
    dispatching.pollOnce().await(10, SECONDS);
    engine.pollOnce().await(10, SECONDS);
    Thread.sleep(100);
    assertThat(fixture.calls("POST", run.path())).isEqualTo(1);
    assertThat(fixture.audit(run.runId(), "step.started")).singleElement()
        .satisfies(d -> assertThat(d.path("approved_by").toString()).contains("alice", "bruno"));
  }

  @Test
  void a_same_size_edit_that_keeps_the_modification_time_is_still_caught() throws Exception {
    // The re-check hashes the file's bytes every time: no size or mtime shortcut to fool.
    Started run = start("low", "dmitri");
    engine.approve(person("alice"), run.runId(), "poke", run.hash()).await(10, SECONDS);
    Path file = fixture.runbookFile("low");
    String before = Files.readString(file);
    var mtime = Files.getLastModifiedTime(file);
    String after = before.replace("Poke the target", "Poke the tarqet");
    assertThat(after).isNotEqualTo(before).hasSameSizeAs(before);
    Files.writeString(file, after);
    Files.setLastModifiedTime(file, mtime);
    engine.pollOnce().await(10, SECONDS);
    fixture.await(engine, run.runId(), stepIs("poke", "awaiting_approval"));
    assertThat(fixture.audit(run.runId(), "approval.invalidated").get(0).path("changes").toString())
        .contains("runbook file changed");
    assertThat(fixture.calls("POST", run.path())).isZero();
  }

  @Test
  void a_runbook_file_changed_after_approval_does_not_run() throws Exception {
    Started run = start("low", "dmitri");
    engine.approve(person("alice"), run.runId(), "poke", run.hash()).await(10, SECONDS);
    Path file = fixture.runbookFile("low");
    Files.writeString(file, Files.readString(file).replace("Poke the target", "Poke the target harder"));
    engine.pollOnce().await(10, SECONDS);
    fixture.await(engine, run.runId(), stepIs("poke", "awaiting_approval"));
    assertThat(fixture.audit(run.runId(), "approval.invalidated").get(0).path("changes").toString())
        .contains("runbook file changed");
    assertThat(fixture.calls("POST", run.path())).isZero();
    EngineFixture.assertNoSecretIn(fixture);
  }
}
