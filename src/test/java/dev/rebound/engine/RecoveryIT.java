package dev.rebound.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.rebound.engine.EngineFixture.actionHash;
import static dev.rebound.engine.EngineFixture.person;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.db.Database;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step left running by an instance that died (simulated: its row says running under another
 * owner with an expired lease): an idempotent step runs again once, a non-idempotent one does not
 * and waits for a person, and a step whose action had completed only has its checks re-run.
 */
@ExtendWith(VertxExtension.class)
class RecoveryIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension
  static final WireMockExtension target = WireMockExtension.newInstance().options(options().dynamicPort()).build();

  @TempDir Path tempDir;
  EngineFixture fixture;
  Engine engine;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    target.resetAll();
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    fixture = new EngineFixture(vertx, db, target, tempDir);
    engine = fixture.engine(EngineFixture.settings().withDispatchOnApproval(false));
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  /** An approved step, then "claimed" by a dead instance whose lease has expired. */
  private String crashedWhileRunning(String runbook, int n) throws Exception {
    JsonNode view = fixture.create(engine, "dmitri", runbook, "{\"n\": " + n + "}");
    String runId = view.path("id").asText();
    engine.approve(person("alice"), runId, "work", actionHash(view, "work")).await(10, SECONDS);
    fixture.sql("update run_steps set state = 'running', lease_owner = 'engine-dead', attempt = attempt + 1,"
        + " lease_until = now() - interval '1 second', started_at = now() where run_id = ?", runId);
    fixture.sql("update step_approvals set used_at = now() where run_id = ?", runId);
    // What the claim records before the action: the undo, masked, with the hash of its real rendering.
    var loaded = new FileRunbookSource(fixture.workspace.runbooksDir()).current(runbook).orElseThrow();
    var step = loaded.step("work").orElseThrow();
    var renderer = new StepRenderer(fixture.config.templateEnv().values(), fixture.config.templateEnv().secretNames(),
        dev.rebound.audit.Masker.of(fixture.config.secretValues()));
    var undo = renderer.undo(step, step.rollback().orElseThrow(),
        java.util.Map.of("n", com.fasterxml.jackson.databind.node.IntNode.valueOf(n)), java.util.Map.of());
    fixture.sql("update run_steps set undo = ?::jsonb, undo_hash = ?, undo_state = 'recorded' where run_id = ?",
        undo.display().toString(), undo.hash(), runId);
    fixture.sql("update runs set state = 'running' where id = ?", runId);
    return runId;
  }

  @Test
  void an_idempotent_step_runs_again_once_with_the_same_key() throws Exception {
    String runId = crashedWhileRunning("recover-idem", 1);
    engine.pollOnce().await(10, SECONDS);
    fixture.await(engine, runId, EngineFixture.runIs("succeeded"));
    engine.pollOnce().await(10, SECONDS);
    assertThat(fixture.calls("POST", "/recover-idem/1")).isEqualTo(1);
    assertThat(target.getAllServeEvents().get(0).getRequest().getHeader("Idempotency-Key")).isEqualTo(runId + "/work");
    assertThat(fixture.audit(runId, "step.resumed").get(0).path("reason").asText()).contains("idempotent");
  }

  @Test
  void a_non_idempotent_step_is_not_run_again_and_waits_for_a_person() throws Exception {
    String runId = crashedWhileRunning("recover-once", 2);
    engine.pollOnce().await(10, SECONDS);
    JsonNode view = fixture.await(engine, runId, EngineFixture.stepIs("work", "failed"));
    engine.pollOnce().await(10, SECONDS);
    assertThat(fixture.calls("POST", "/recover-once/2")).isZero();
    assertThat(EngineFixture.step(view, "work").path("error").asText())
        .isEqualTo("interrupted while running; not idempotent, outcome unknown: a person must check the target"
            + " and choose retry, rollback or abort");
    assertThat(view.path("waiting_for").asText()).startsWith("a person: step work was interrupted");
    assertThat(view.path("state").asText()).isEqualTo("running");

    // The person checked the target and rolls back: the undo runs, since the outcome is unknown.
    engine.rollback(person("alice"), runId, "checked: half applied").await(10, SECONDS);
    fixture.await(engine, runId, EngineFixture.runIs("rolled_back"));
    assertThat(fixture.calls("POST", "/recover-once/2/undo")).isEqualTo(1);
    assertThat(fixture.calls("POST", "/recover-once/2")).isZero();
  }

  @Test
  void a_step_whose_action_completed_only_reruns_its_checks() throws Exception {
    String runId = crashedWhileRunning("recover-once", 3);
    fixture.sql("update run_steps set action_done = true, may_have_applied = true, output = '{\"status\": 200}'"
        + " where run_id = ?", runId);
    engine.pollOnce().await(10, SECONDS);
    fixture.await(engine, runId, EngineFixture.runIs("succeeded"));
    assertThat(fixture.calls("POST", "/recover-once/3")).isZero();
    assertThat(fixture.audit(runId, "step.resumed").get(0).path("reason").asText()).contains("checks only");
  }

  @Test
  void a_live_lease_is_left_alone() throws Exception {
    String runId = crashedWhileRunning("recover-once", 4);
    fixture.sql("update run_steps set lease_until = now() + interval '1 minute' where run_id = ?", runId);
    engine.pollOnce().await(10, SECONDS);
    Thread.sleep(200);
    assertThat(EngineFixture.step(fixture.view(engine, runId), "work").path("state").asText()).isEqualTo("running");
    assertThat(fixture.calls("POST", "/recover-once/4")).isZero();
  }

  /**
   * A process killed between its commits and their seal (simulated: entries committed to
   * audit_pending by a pool that is then closed, nothing sealing them): an engine starting up
   * seals them into the chain, without any reader asking.
   */
  @Test
  void audit_entries_left_pending_by_a_killed_process_are_sealed_when_an_engine_starts(Vertx vertx)
      throws Exception {
    Database dead = db.database(vertx).await(30, SECONDS);
    var deadLog = new PgAuditLog(dead.pool(), Masker.none());
    for (int i = 0; i < 3; i++) {
      var event = AuditEvent.of(ActorType.SYSTEM, "engine-dead",
          "step.started", "step", "run-dead/s" + i);
      var conn = dead.pool().getConnection().await(10, SECONDS);
      conn.query("BEGIN").execute().await(10, SECONDS);
      deadLog.append(conn, event).await(10, SECONDS);
      conn.query("COMMIT").execute().await(10, SECONDS);
      conn.close().await(10, SECONDS);
    }
    dead.close().await(10, SECONDS);
    assertThat(count("select count(*) from audit_pending")).isEqualTo(3);

    fixture.engine(EngineFixture.settings());

    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    while (count("select count(*) from audit_log where actor_id = 'engine-dead'") < 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(count("select count(*) from audit_log where actor_id = 'engine-dead'")).isEqualTo(3);
    assertThat(count("select count(*) from audit_pending")).isZero();
    var chain = new AuditVerifier(fixture.database.pool()).verify().await(10, SECONDS);
    assertThat(chain.ok()).as(chain.summary()).isTrue();
  }

  /** Read without sealing first (unlike the application's readers and fixture.audit). */
  private static long count(String sql) throws Exception {
    try (var c = db.jdbc(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
