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
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two engine instances on one database race for the same approved steps: each runs once. */
@ExtendWith(VertxExtension.class)
class RaceIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension
  static final WireMockExtension target = WireMockExtension.newInstance().options(options().dynamicPort()).build();
  static final int RUNS = 20;

  @BeforeEach
  void stubTarget() {
    // A little latency, so both instances are busy at the same time.
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(20)));
  }

  @Test
  void two_instances_execute_each_approved_step_exactly_once(Vertx vertx, @TempDir Path tempDir) throws Exception {
    try (EngineFixture fixture = new EngineFixture(vertx, db, target, tempDir)) {
      EngineSettings quiet = EngineFixture.settings().withDispatchOnApproval(false);
      Engine approver = fixture.engine(quiet);
      List<String> runs = new ArrayList<>();
      for (int n = 1; n <= RUNS; n++) {
        JsonNode view = fixture.create(approver, "dmitri", "race", "{\"n\": " + n + "}");
        String runId = view.path("id").asText();
        approver.approve(person("alice"), runId, "act", actionHash(view, "act")).await(10, SECONDS);
        runs.add(runId);
      }
      assertThat(fixture.calls("POST", "/race/1")).isZero();

      EngineSettings polling = EngineFixture.settings().withDispatchOnApproval(false)
          .withPollInterval(Duration.ofMillis(25));
      Engine a = fixture.engine(polling.withOwnerId("engine-a"));
      Engine b = fixture.engine(polling.withOwnerId("engine-b"));
      for (String runId : runs) {
        fixture.await(a, runId, EngineFixture.runIs("succeeded"));
      }

      Set<String> executors = new HashSet<>();
      for (int n = 1; n <= RUNS; n++) {
        assertThat(fixture.calls("POST", "/race/" + n)).as("calls to /race/%d", n).isEqualTo(1);
      }
      for (String runId : runs) {
        List<JsonNode> started = fixture.audit(runId, "step.started");
        assertThat(started).hasSize(1);
        executors.add(fixture.audit(runId, "step.succeeded").get(0).path("step_id").asText());
      }
      assertThat(fixture.calls("POST", "/race/1/undo")).isZero();
      assertThat(a.inFlight() + b.inFlight()).isZero();
    }
  }

  @Test
  void concurrent_approvals_on_two_instances_that_claim_on_approval_run_the_step_once(Vertx vertx,
      @TempDir Path tempDir) throws Exception {
    try (EngineFixture fixture = new EngineFixture(vertx, db, target, tempDir)) {
      // Both dispatch on approval (the last approval claims in its transaction) and both poll.
      EngineSettings settings = EngineFixture.settings().withPollInterval(Duration.ofMillis(25));
      Engine a = fixture.engine(settings.withOwnerId("engine-a"));
      Engine b = fixture.engine(settings.withOwnerId("engine-b"));
      List<String> runs = new ArrayList<>();
      for (int n = 101; n <= 110; n++) {
        JsonNode view = fixture.create(a, "dmitri", "high", "{\"n\": " + n + "}");
        String runId = view.path("id").asText();
        String hash = actionHash(view, "drop");
        // Two approvals are needed; three people approve at once on two instances.
        var alice = a.approve(person("alice"), runId, "drop", hash);
        var bruno = b.approve(person("bruno"), runId, "drop", hash);
        var carol = b.approve(person("carol"), runId, "drop", hash);
        io.vertx.core.Future.join(alice, bruno, carol).otherwiseEmpty().await(10, SECONDS);
        assertThat(java.util.stream.Stream.of(alice, bruno, carol).filter(f -> f.succeeded()).count())
            .isEqualTo(2L);
        runs.add(runId);
      }
      for (int i = 0; i < runs.size(); i++) {
        fixture.await(a, runs.get(i), EngineFixture.runIs("succeeded"));
        assertThat(fixture.calls("POST", "/high/" + (101 + i))).as("calls to /high/%d", 101 + i).isEqualTo(1);
        assertThat(fixture.audit(runs.get(i), "step.started")).hasSize(1);
      }
    }
  }
}
