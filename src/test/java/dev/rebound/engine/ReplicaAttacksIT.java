package dev.rebound.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.rebound.engine.EngineFixture.actionHash;
import static dev.rebound.engine.EngineFixture.person;
import static dev.rebound.engine.EngineFixture.step;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.VerifyResult;
import dev.rebound.db.Database;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
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
    while (java.util.Arrays.stream(engines).mapToInt(Engine::inFlight).sum() > 0) {
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
}
