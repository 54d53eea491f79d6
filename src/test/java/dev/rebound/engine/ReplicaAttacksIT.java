package dev.rebound.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.rebound.engine.EngineFixture.actionHash;
import static dev.rebound.engine.EngineFixture.person;
import static dev.rebound.engine.EngineFixture.step;
import static dev.rebound.engine.EngineFixture.stepIs;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.VerifyResult;
import dev.rebound.db.Database;
import dev.rebound.error.ConflictException;
import dev.rebound.testing.TcpRelay;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas on one database, and people acting on both at once: decisions that race one
 * another (approve and reject, a claim and an abort or a rollback, two rollbacks), a replica cut
 * from the database while its action is in flight, and who may approve changing between an
 * approval and the step's execution. Whatever the interleaving, a step runs at most once, only
 * with the approvals the policy asks for as things are when it runs, what the record says
 * happened is what the target saw, and the audit chain verifies.
 */
@ExtendWith(VertxExtension.class)
class ReplicaAttacksIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension
  static final WireMockExtension target = WireMockExtension.newInstance().options(options().dynamicPort()).build();
  static final AtomicInteger N = new AtomicInteger(500);
  static final int ROUNDS = 8;

  @TempDir Path tempDir;
  Vertx vertx;
  EngineFixture fixture;
  /** A second pool on the database, closed after the fixture's engines stopped. */
  Database other;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    target.resetAll();
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(20)));
    fixture = new EngineFixture(vertx, db, target, tempDir);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    if (other != null) {
      other.close().await(10, SECONDS);
    }
  }

  private static EngineSettings replica(String owner) {
    return EngineFixture.settings().withOwnerId(owner);
  }

  /** Calls the target saw for {@code path} with the step's idempotency key. */
  private int calls(String path, String runId, String stepId) {
    return (int) target.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().equals(path))
        .filter(e -> (runId + "/" + stepId).equals(e.getRequest().getHeader("Idempotency-Key")))
        .count();
  }

  private void assertChainIntact() throws Exception {
    VerifyResult chain = new AuditVerifier(fixture.database.pool()).verify().await(30, SECONDS);
    assertThat(chain.ok()).as(chain.summary()).isTrue();
  }

  private static void awaitIdle(Engine... engines) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (Arrays.stream(engines).mapToInt(Engine::inFlight).sum() > 0) {
      assertThat(System.nanoTime()).as("engines still busy").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void an_approval_by_someone_team_yaml_no_longer_lets_approve_does_not_count_when_the_step_runs()
      throws Exception {
    Engine engine = fixture.engine(replica("engine-a"));
    int n = N.incrementAndGet();
    JsonNode view = fixture.create(engine, "dmitri", "high", "{\"n\": " + n + "}");
    String runId = view.path("id").asText();
    String hash = actionHash(view, "drop");
    engine.approve(person("alice"), runId, "drop", hash).await(10, SECONDS);

    // alice is no longer an approver (team.yaml changed, the replicas restarted) before bruno approves.
    Path team = fixture.root.resolve("knowledge/team.yaml");
    String before = Files.readString(team);
    String after = before.replace("{id: alice, name: Alice Moreau, roles: [responder, approver]",
        "{id: alice, name: Alice Moreau, roles: [responder]");
    assertThat(after).isNotEqualTo(before);
    Files.writeString(team, after);
    fixture.reloadKnowledge();

    engine.approve(person("bruno"), runId, "drop", hash).await(10, SECONDS);
    engine.pollOnce().await(10, SECONDS);
    awaitIdle(engine);

    JsonNode now = fixture.view(engine, runId);
    assertThat(step(now, "drop").path("state").asText()).as(now.toPrettyString()).isEqualTo("awaiting_approval");
    assertThat(fixture.calls("POST", "/high/" + n)).isZero();
    assertThat(fixture.audit(runId, "step.started")).isEmpty();
    assertThat(fixture.audit(runId, "approval.invalidated")).singleElement()
        .satisfies(d -> assertThat(d.path("changes").toString()).contains("alice", "may no longer approve"));

    // Two people who may approve now: it runs.
    engine.approve(person("bruno"), runId, "drop", hash).await(10, SECONDS);
    engine.approve(person("carol"), runId, "drop", hash).await(10, SECONDS);
    fixture.await(engine, runId, EngineFixture.runIs("succeeded"));
    assertThat(fixture.calls("POST", "/high/" + n)).isEqualTo(1);
    assertChainIntact();
  }

  @Test
  void approve_and_reject_racing_on_two_replicas_run_the_step_or_fail_it_never_both() throws Exception {
    Engine a = fixture.engine(replica("engine-a"));
    Engine b = fixture.engine(replica("engine-b"));
    Set<String> outcomes = new HashSet<>();
    for (int round = 0; round < ROUNDS; round++) {
      int n = N.incrementAndGet();
      JsonNode view = fixture.create(a, "dmitri", "low", "{\"n\": " + n + "}");
      String runId = view.path("id").asText();
      var approved = a.approve(person("alice"), runId, "poke", actionHash(view, "poke"));
      var rejected = b.reject(person("bruno"), runId, "poke", "not now");
      Future.join(approved, rejected).otherwiseEmpty().await(10, SECONDS);
      awaitIdle(a, b);
      JsonNode end = fixture.view(a, runId);
      String state = step(end, "poke").path("state").asText();
      int calls = fixture.calls("POST", "/low/" + n);
      assertThat(approved.succeeded() ^ rejected.succeeded()).as(end.toPrettyString()).isTrue();
      if (approved.succeeded()) {
        assertThat(state).isEqualTo("succeeded");
        assertThat(calls).isEqualTo(1);
        assertThat(fixture.audit(runId, "step.rejected")).isEmpty();
      } else {
        assertThat(state).isEqualTo("failed");
        assertThat(calls).isZero();
        assertThat(fixture.audit(runId, "step.started")).isEmpty();
      }
      outcomes.add(state);
    }
    System.err.println("approve/reject race outcomes: " + outcomes);
    assertChainIntact();
  }

  @Test
  void an_abort_racing_another_replicas_claim_never_skips_a_step_that_ran() throws Exception {
    Engine a = fixture.engine(replica("engine-a").withDispatchOnApproval(false));
    Engine b = fixture.engine(replica("engine-b"));
    for (int round = 0; round < ROUNDS; round++) {
      int n = N.incrementAndGet();
      JsonNode view = fixture.create(a, "dmitri", "low", "{\"n\": " + n + "}");
      String runId = view.path("id").asText();
      a.approve(person("alice"), runId, "poke", actionHash(view, "poke")).await(10, SECONDS);
      var polled = b.pollOnce();
      Thread.sleep(round * 4L); // a little later each round, to meet the claim at each of its stages
      var aborted = a.abort(person("bruno"), runId, "wrong incident");
      Future.join(aborted, polled).otherwiseEmpty().await(10, SECONDS);
      awaitIdle(a, b);
      JsonNode end = fixture.view(a, runId);
      String state = step(end, "poke").path("state").asText();
      int calls = fixture.calls("POST", "/low/" + n);
      if (calls > 0) {
        // It ran once and says so; an abort that came after it ended stopped the run, not the step
        // (refused "step is running" only while it ran).
        assertThat(calls).isEqualTo(1);
        assertThat(state).as(end.toPrettyString()).isEqualTo("succeeded");
        if (aborted.succeeded()) {
          assertThat(Instant.parse(end.path("finished_at").asText()))
              .as(end.toPrettyString()).isAfterOrEqualTo(Instant.parse(step(end, "poke").path("finished_at").asText()));
        }
      } else {
        assertThat(fixture.audit(runId, "step.started")).as(end.toPrettyString()).isEmpty();
        if (aborted.succeeded()) {
          assertThat(state).isEqualTo("skipped");
          assertThat(end.path("state").asText()).isEqualTo("aborted");
        }
      }
      if (aborted.failed()) {
        System.err.println("abort lost the race: " + aborted.cause());
      }
    }
    assertChainIntact();
  }

  /**
   * The interleaving that deadlocked when a claim locked the step before the run while an abort
   * locks the run before the steps: B's claim holds the step's row and waits (here on its
   * approval, held from a raw connection), A's abort holds the run and comes for the step, then
   * the claim goes on to the run. Both must end as people expect: the step ran once and the
   * abort is refused because it ran, or the abort skipped it; never a database error (a 500).
   */
  @Test
  void an_abort_meeting_a_claim_that_holds_the_step_gets_an_answer_not_a_deadlock() throws Exception {
    Engine a = fixture.engine(replica("engine-a").withDispatchOnApproval(false));
    Engine b = fixture.engine(replica("engine-b"));
    int n = N.incrementAndGet();
    JsonNode view = fixture.create(a, "dmitri", "low", "{\"n\": " + n + "}");
    String runId = view.path("id").asText();
    a.approve(person("alice"), runId, "poke", actionHash(view, "poke")).await(10, SECONDS);

    Future<?> aborted;
    try (Connection hold = db.jdbc(); Connection watch = db.jdbc()) {
      hold.setAutoCommit(false);
      try (PreparedStatement s = hold.prepareStatement("select id from step_approvals where run_id = ? for update")) {
        s.setString(1, runId);
        s.executeQuery().close();
      }
      b.pollOnce().await(10, SECONDS);
      awaitLockWaits(watch, 1); // the claim, waiting for the approval
      aborted = a.abort(person("bruno"), runId, "wrong incident");
      awaitLockWaits(watch, 2); // the abort, waiting for the claim
      hold.commit();
    }
    aborted.otherwiseEmpty().await(20, SECONDS);
    awaitIdle(a, b);

    JsonNode end = fixture.view(a, runId);
    int calls = fixture.calls("POST", "/low/" + n);
    if (aborted.failed()) {
      assertThat(aborted.cause()).as("what the person gets").isInstanceOf(ConflictException.class)
          .hasMessageContaining("is running");
      end = fixture.await(a, runId, stepIs("poke", "succeeded"));
      assertThat(calls).isEqualTo(1);
    } else {
      assertThat(end.path("state").asText()).as(end.toPrettyString()).isEqualTo("aborted");
      assertThat(step(end, "poke").path("state").asText()).isEqualTo("skipped");
      assertThat(calls).isZero();
    }
    assertChainIntact();
  }

  /** A saga run on {@code a} whose last step was approved: its validation's check takes {@link #SLOW_CHECK_MS}. */
  private String sagaInSlowValidation(Engine a) throws Exception {
    JsonNode view = fixture.create(a, "dmitri", "saga", "{}");
    String runId = view.path("id").asText();
    for (String s : new String[] {"s1", "s2", "s3"}) {
      view = fixture.await(a, runId, stepIs(s, "awaiting_approval"));
      a.approve(person("alice"), runId, s, actionHash(view, s)).await(10, SECONDS);
    }
    view = fixture.await(a, runId, stepIs("s4", "awaiting_approval"));
    target.stubFor(get(urlEqualTo("/health")).atPriority(1)
        .willReturn(aResponse().withStatus(200).withFixedDelay(SLOW_CHECK_MS)));
    a.approve(person("alice"), runId, "s4", actionHash(view, "s4")).await(10, SECONDS);
    fixture.await(a, runId, v -> v.path("work").asText().equals("validation"));
    Thread.sleep(200); // the validation's check is at the target
    return runId;
  }

  private static final int SLOW_CHECK_MS = 6_000;

  /**
   * A rollback asked for on the replica busy with the same run's validation starts when the
   * lease it was given runs out, on whichever replica polls: the busy one no longer renews a
   * lease for work it is not doing. (It used to renew it until its check returned, so the
   * rollback waited for the validation's check and a lease on top.)
   */
  @Test
  void a_rollback_asked_of_the_replica_busy_validating_the_run_starts_within_a_lease() throws Exception {
    Engine a = fixture.engine(replica("engine-a"));
    Engine b = fixture.engine(replica("engine-b"));
    String runId = sagaInSlowValidation(a);

    long asked = System.nanoTime();
    a.rollback(person("bruno"), runId, "wrong snapshot").await(10, SECONDS);
    while (calls("/saga/s4/undo", runId, "s4") == 0) {
      assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("time until the first undo")
          .isLessThan(Duration.ofMillis(3_500)); // the two-second lease, a poll, some slack
      b.pollOnce().await(10, SECONDS);
      Thread.sleep(50);
    }
    fixture.await(a, runId, EngineFixture.runIs("rolled_back"));
    awaitIdle(a, b);
    for (String s : new String[] {"s1", "s2", "s3", "s4"}) {
      assertThat(calls("/saga/" + s + "/undo", runId, s)).as(s).isEqualTo(1);
    }
    assertThat(fixture.audit(runId, "run.succeeded")).isEmpty();
    assertChainIntact();
  }

  /**
   * With no poller at all, the replica busy validating the run starts the rollback asked of it as
   * soon as its validation ends (it used to drop the request: the rollback waited for a poller).
   */
  @Test
  void a_rollback_asked_of_the_replica_busy_validating_the_run_starts_when_the_validation_ends() throws Exception {
    Engine a = fixture.engine(replica("engine-a"));
    String runId = sagaInSlowValidation(a);

    a.rollback(person("bruno"), runId, "wrong snapshot").await(10, SECONDS);
    JsonNode end = fixture.await(a, runId, EngineFixture.runIs("rolled_back"));
    awaitIdle(a);
    for (String s : new String[] {"s1", "s2", "s3", "s4"}) {
      assertThat(calls("/saga/" + s + "/undo", runId, s)).as(s).isEqualTo(1);
    }
    assertThat(fixture.audit(runId, "run.succeeded")).as(end.toPrettyString()).isEmpty();
    assertChainIntact();
  }

  /** Waits until {@code count} sessions on the test database wait for a lock. */
  private static void awaitLockWaits(Connection watch, int count) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try (PreparedStatement s = watch.prepareStatement("select count(*) from pg_stat_activity"
          + " where datname = current_database() and wait_event_type = 'Lock'");
          ResultSet rs = s.executeQuery()) {
        rs.next();
        if (rs.getInt(1) >= count) {
          return;
        }
      }
      assertThat(System.nanoTime()).as("sessions waiting for a lock: " + count).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void a_rollback_racing_another_replicas_claim_of_the_next_step_undoes_it_if_it_ran() throws Exception {
    Engine a = fixture.engine(replica("engine-a").withDispatchOnApproval(false));
    Engine b = fixture.engine(replica("engine-b"));
    for (int round = 0; round < ROUNDS; round++) {
      JsonNode view = fixture.create(a, "dmitri", "saga", "{}");
      String runId = view.path("id").asText();
      a.approve(person("alice"), runId, "s1", actionHash(view, "s1")).await(10, SECONDS);
      a.pollOnce().await(10, SECONDS);
      view = fixture.await(a, runId, stepIs("s2", "awaiting_approval"));
      a.approve(person("alice"), runId, "s2", actionHash(view, "s2")).await(10, SECONDS);

      var polled = b.pollOnce();
      Thread.sleep(round * 4L);
      var rolledBack = a.rollback(person("bruno"), runId, "wrong snapshot");
      Future.join(rolledBack, polled).otherwiseEmpty().await(10, SECONDS);
      awaitIdle(a, b);
      JsonNode end = fixture.view(a, runId);
      int s2 = calls("/saga/s2", runId, "s2");
      assertThat(s2).isLessThanOrEqualTo(1);
      if (rolledBack.succeeded()) {
        end = fixture.await(a, runId, EngineFixture.runIs("rolled_back"));
        assertThat(calls("/saga/s1/undo", runId, "s1")).isEqualTo(1);
        assertThat(calls("/saga/s2/undo", runId, "s2")).as(end.toPrettyString()).isEqualTo(s2);
        assertThat(step(end, "s2").path("state").asText()).isEqualTo(s2 == 1 ? "rolled_back" : "skipped");
      } else {
        assertThat(s2).as(end.toPrettyString()).isEqualTo(1);
        System.err.println("rollback lost the race: " + rolledBack.cause());
      }
    }
    assertChainIntact();
  }

  @Test
  void two_rollbacks_requested_at_once_on_two_replicas_undo_each_step_once() throws Exception {
    Engine a = fixture.engine(replica("engine-a"));
    Engine b = fixture.engine(replica("engine-b"));
    JsonNode view = fixture.create(a, "dmitri", "saga", "{}");
    String runId = view.path("id").asText();
    a.approve(person("alice"), runId, "s1", actionHash(view, "s1")).await(10, SECONDS);
    view = fixture.await(a, runId, stepIs("s2", "awaiting_approval"));
    a.approve(person("alice"), runId, "s2", actionHash(view, "s2")).await(10, SECONDS);
    fixture.await(a, runId, stepIs("s3", "awaiting_approval"));

    var first = a.rollback(person("bruno"), runId, "bad data");
    var second = b.rollback(person("carol"), runId, "bad data");
    Future.join(first, second).otherwiseEmpty().await(10, SECONDS);
    assertThat(first.succeeded() ^ second.succeeded()).isTrue();
    assertThat((first.failed() ? first : second).cause()).hasMessageContaining("already rolling back");
    // Both replicas look for work too: the lease lets one of them unwind.
    a.pollOnce().await(10, SECONDS);
    b.pollOnce().await(10, SECONDS);
    fixture.await(a, runId, EngineFixture.runIs("rolled_back"));
    awaitIdle(a, b);
    assertThat(calls("/saga/s2/undo", runId, "s2")).isEqualTo(1);
    assertThat(calls("/saga/s1/undo", runId, "s1")).isEqualTo(1);
    assertThat(fixture.audit(runId, "rollback.started")).hasSize(1);
    assertThat(fixture.auditActions(runId).stream().filter(x -> x.startsWith("step.rolled_back")).count())
        .isEqualTo(2);
    assertChainIntact();
  }

  /**
   * Replica A is cut from the database while the target still works on its non-idempotent
   * action; its lease expires and replica B takes the step over. B must not run it again: the
   * step fails and waits for a person. When A's action returns, A (its lease gone) records
   * nothing, so the record still says what B decided; the person's rollback then runs the undo once.
   */
  @Test
  void a_replica_cut_from_the_database_mid_action_gets_its_non_idempotent_step_neither_rerun_nor_overwritten()
      throws Exception {
    int n = N.incrementAndGet();
    String path = "/recover-once/" + n;
    target.stubFor(any(urlMatching(path)).atPriority(1)
        .willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay(4_000)));
    TcpRelay relay = TcpRelay.start(vertx, db.url().host(), db.url().port());
    other = Database.create(vertx, dev.rebound.config.DatabaseUrl.parse("DATABASE_URL",
        db.urlText().replace(":" + db.url().port() + "/", ":" + relay.port() + "/")));
    Engine a = fixture.engine(replica("engine-a"), other.pool());
    Engine b = fixture.engine(replica("engine-b"));
    JsonNode view = fixture.create(b, "dmitri", "recover-once", "{\"n\": " + n + "}");
    String runId = view.path("id").asText();
    a.approve(person("alice"), runId, "work", actionHash(view, "work")).await(10, SECONDS);
    assertThat(fixture.audit(runId, "step.started")).hasSize(1);
    Thread.sleep(300); // the call is at the target

    relay.cut();
    try {
      Thread.sleep(2_500); // A's two-second lease runs out: it cannot renew it
      b.pollOnce().await(10, SECONDS);
      JsonNode failed = fixture.await(b, runId, stepIs("work", "failed"));
      assertThat(step(failed, "work").path("error").asText()).isEqualTo(Waiting.INTERRUPTED_ERROR);
    } finally {
      relay.restore();
    }

    awaitIdle(a, b); // A's action returned and A tried to record it
    JsonNode after = fixture.view(b, runId);
    assertThat(step(after, "work").path("state").asText()).as(after.toPrettyString()).isEqualTo("failed");
    assertThat(step(after, "work").path("error").asText()).isEqualTo(Waiting.INTERRUPTED_ERROR);
    assertThat(fixture.audit(runId, "step.action_completed")).isEmpty();
    assertThat(fixture.audit(runId, "step.succeeded")).isEmpty();
    assertThat(fixture.audit(runId, "step.resumed")).isEmpty();
    assertThat(fixture.calls("POST", path)).isEqualTo(1);

    b.rollback(person("bruno"), runId, "checked: applied").await(10, SECONDS);
    fixture.await(b, runId, EngineFixture.runIs("rolled_back"));
    assertThat(fixture.calls("POST", path + "/undo")).isEqualTo(1);
    assertThat(fixture.calls("POST", path)).isEqualTo(1);
    assertChainIntact();
  }
}
