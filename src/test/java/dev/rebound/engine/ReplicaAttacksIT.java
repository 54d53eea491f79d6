package dev.rebound.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
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
import dev.rebound.db.Database;
import dev.rebound.error.ConflictException;
import dev.rebound.testing.TcpRelay;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
/**
 * Two replicas on one database, and people acting on both at once: decisions that race one
 * another (approve and reject, a claim and an abort; rollbacks are {@link ReplicaRollbackIT}'s),
 * a replica cut from the database while its action is in flight, and who may approve changing
 * between an approval and the step's execution. Whatever the interleaving, a step runs at most once, only
 * with the approvals the policy asks for as things are when it runs, what the record says
 * happened is what the target saw, and the audit chain verifies.
 */
class ReplicaAttacksIT extends ReplicaFixture {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension
  static final WireMockExtension target = WireMockExtension.newInstance().options(options().dynamicPort()).build();

  @Override
  TestDatabase db() {
    return db;
  }

  @Override
  WireMockExtension target() {
    return target;
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
