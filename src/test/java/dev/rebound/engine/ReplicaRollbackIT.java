package dev.rebound.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.rebound.engine.EngineFixture.actionHash;
import static dev.rebound.engine.EngineFixture.person;
import static dev.rebound.engine.EngineFixture.step;
import static dev.rebound.engine.EngineFixture.stepIs;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Future;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
/**
 * Rollbacks with two replicas on one database: asked of the replica busy validating the run,
 * racing the other replica's claim of the next step, or asked twice at once. Each undo runs once,
 * in time, and the audit chain verifies.
 */
class ReplicaRollbackIT extends ReplicaFixture {
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
}
