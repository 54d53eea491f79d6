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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.inventory.Role;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the agent proposes for a person ({@link Engine#propose}) and the step requests it makes
 * ({@link Engine#requestStep}): the person is the run's requester, so four eyes still hold for
 * the person chatting, and the agent is never an approver. Each refusal is audited and nothing
 * reaches the target.
 */
@ExtendWith(VertxExtension.class)
class AgentProposedRunsIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension
  static final WireMockExtension target = WireMockExtension.newInstance().options(options().dynamicPort()).build();
  static final AtomicInteger N = new AtomicInteger(500);

  @TempDir Path tempDir;
  EngineFixture fixture;
  Engine engine;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    target.resetAll();
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"ok\": true, \"status\": \"paused\"}")));
    db.incidents("INC-P-1", "INC-P-2", "INC-P-3", "INC-P-4", "INC-P-5", "INC-P-6", "INC-P-7", "INC-P-8", "INC-P-9", "INC-P-10",
        "INC-P-OTHER");
    fixture = new EngineFixture(vertx, db, target, tempDir);
    engine = fixture.engine(EngineFixture.settings());
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  private JsonNode proposeHigh(String incident, String forPerson) throws Exception {
    int n = N.incrementAndGet();
    return engine.propose(Actor.agent(), person(forPerson), new NewRun("high",
        EngineFixture.JSON.readTree("{\"n\": " + n + "}"), Optional.of(incident), RunKind.LIVE)).await(30, SECONDS);
  }

  private static String path(JsonNode run) {
    return "/high/" + run.path("params").path("n").asInt();
  }

  @Test
  void the_run_records_the_person_as_requester_and_the_agent_as_proposer() throws Exception {
    JsonNode run = proposeHigh("INC-P-1", "alice");

    assertThat(run.path("requested_by").asText()).isEqualTo("alice");
    assertThat(run.path("proposed_by").asText()).isEqualTo("agent");
    assertThat(run.path("awaiting").path("excluded").toString()).contains("\"agent\"", "\"alice\"");
    try (Connection c = db.auditReader(); PreparedStatement s = c.prepareStatement("select actor_id, actor_type,"
        + " details->>'requested_by', details->>'proposed_by' from audit_log where run_id = ? and action = 'run.created'")) {
      s.setString(1, run.path("id").asText());
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
            .containsExactly("agent", "agent", "alice", "agent");
      }
    }
  }

  @Test
  void the_person_chatting_cannot_approve_a_high_risk_step_of_the_run_proposed_for_them() throws Exception {
    JsonNode run = proposeHigh("INC-P-2", "alice");
    String id = run.path("id").asText();

    Throwable error = catchThrowable(() -> engine.approve(person("alice"), id, "drop", actionHash(run, "drop"))
        .await(10, SECONDS));

    assertThat(error).isInstanceOf(ForbiddenException.class).hasMessageContaining("alice requested this run");
    assertThat(fixture.audit(id, "approval.refused")).anySatisfy(d ->
        assertThat(d.path("reason").asText()).isEqualTo("requester_cannot_approve"));
    assertThat(fixture.view(engine, id).path("awaiting").path("approvals_so_far").asInt()).isZero();
    assertThat(fixture.calls("POST", path(run))).isZero();
  }

  @Test
  void the_agent_can_never_approve_whatever_its_token_says() throws Exception {
    JsonNode run = proposeHigh("INC-P-3", "dmitri");
    String id = run.path("id").asText();
    String hash = actionHash(run, "drop");

    for (Actor agent : List.of(Actor.agent(), Actor.of("agent", Role.APPROVER, true), Actor.of("agent", Role.ADMIN,
        true))) {
      Throwable error = catchThrowable(() -> engine.approve(agent, id, "drop", hash).await(10, SECONDS));
      assertThat(error).as(agent.toString()).isInstanceOf(ForbiddenException.class);
    }

    assertThat(fixture.audit(id, "approval.refused")).hasSize(3)
        .allSatisfy(d -> assertThat(d.path("reason").asText()).isEqualTo("agent_cannot_approve"));
    assertThat(fixture.calls("POST", path(run))).isZero();
  }

  @Test
  void two_approvers_other_than_the_person_chatting_are_needed_and_then_the_step_runs() throws Exception {
    JsonNode run = proposeHigh("INC-P-4", "alice");
    String id = run.path("id").asText();
    String hash = actionHash(run, "drop");

    engine.approve(person("bruno"), id, "drop", hash).await(10, SECONDS);
    catchThrowable(() -> engine.approve(person("alice"), id, "drop", hash).await(10, SECONDS));
    assertThat(fixture.view(engine, id).path("steps").get(0).path("state").asText()).isEqualTo("awaiting_approval");
    assertThat(fixture.calls("POST", path(run))).isZero();

    engine.approve(person("carol"), id, "drop", hash).await(10, SECONDS);
    JsonNode done = fixture.await(engine, id, stepIs("drop", "succeeded"));

    assertThat(fixture.calls("POST", path(run))).isEqualTo(1);
    assertThat(done.path("steps").get(0).path("approvals").findValuesAsText("approver"))
        .containsExactlyInAnyOrder("bruno", "carol");
  }

  @Test
  void only_the_agent_proposes_for_someone_and_only_for_a_responder() throws Exception {
    NewRun request = new NewRun("high", EngineFixture.JSON.readTree("{\"n\": 1}"), Optional.of("INC-P-5"),
        RunKind.LIVE);

    assertThat(catchThrowable(() -> engine.propose(person("bruno"), person("alice"), request).await(10, SECONDS)))
        .isInstanceOf(ForbiddenException.class).hasMessageContaining("only the agent");
    assertThat(catchThrowable(() -> engine.propose(Actor.agent(), Actor.agent(), request).await(10, SECONDS)))
        .isInstanceOf(ForbiddenException.class).hasMessageContaining("only for the person");
    assertThat(catchThrowable(() -> engine.propose(Actor.agent(), Actor.drill(), request).await(10, SECONDS)))
        .isInstanceOf(ForbiddenException.class);
    assertThat(catchThrowable(() -> engine.propose(Actor.agent(), person("grace"), request).await(10, SECONDS)))
        .isInstanceOf(ForbiddenException.class).hasMessageContaining("needs role responder");
    assertThat(engine.runsOfIncident("INC-P-5").await(10, SECONDS)).isEmpty();
  }

  @Test
  void a_step_can_be_requested_only_when_it_is_an_allowed_next_step() throws Exception {
    JsonNode run = engine.propose(Actor.agent(), person("dmitri"), new NewRun("happy",
        EngineFixture.JSON.readTree("{\"snapshot\": \"snap-7\"}"), Optional.of("INC-P-6"), RunKind.LIVE))
        .await(30, SECONDS);
    String id = run.path("id").asText();
    assertThat(engine.allowedNextSteps(id).await(10, SECONDS)).containsExactly("pause");

    Throwable skip = catchThrowable(() -> engine.requestStep(Actor.agent(), person("dmitri"), id, "restore")
        .await(10, SECONDS));
    Throwable unknown = catchThrowable(() -> engine.requestStep(Actor.agent(), person("dmitri"), id, "drop-all")
        .await(10, SECONDS));
    Throwable asPerson = catchThrowable(() -> engine.requestStep(person("bruno"), person("dmitri"), id, "pause")
        .await(10, SECONDS));
    JsonNode requested = engine.requestStep(Actor.agent(), person("dmitri"), id, "pause").await(10, SECONDS);

    assertThat(skip).isInstanceOf(ConflictException.class).hasMessageContaining("allowed next: pause");
    assertThat(unknown).isInstanceOf(ConflictException.class).hasMessageContaining("has no step 'drop-all'");
    assertThat(asPerson).isInstanceOf(ForbiddenException.class);
    assertThat(fixture.audit(id, "step.request_refused")).hasSize(2);
    List<JsonNode> asked = fixture.audit(id, "approval.requested");
    assertThat(asked).hasSize(1);
    assertThat(asked.get(0).path("step_id").asText()).isEqualTo("pause");
    assertThat(asked.get(0).path("requested_for").asText()).isEqualTo("dmitri");
    assertThat(asked.get(0).path("action_hash").asText()).isEqualTo(actionHash(requested, "pause"));
    assertThat(requested.path("steps").get(0).path("state").asText()).isEqualTo("awaiting_approval");
    assertThat(requested.path("allowed_next_steps").toString()).isEqualTo("[\"pause\"]");
    assertThat(fixture.calls("POST", "/happy/pause")).isZero();
    assertThat(fixture.calls("POST", "/happy/restore")).isZero();
  }

  @Test
  void a_finished_run_has_no_allowed_next_step() throws Exception {
    JsonNode run = proposeHigh("INC-P-7", "dmitri");
    String id = run.path("id").asText();
    engine.abort(person("bruno"), id, "not needed").await(10, SECONDS);

    assertThat(engine.allowedNextSteps(id).await(10, SECONDS)).isEmpty();
    assertThat(catchThrowable(() -> engine.requestStep(Actor.agent(), person("dmitri"), id, "drop")
        .await(10, SECONDS))).isInstanceOf(ConflictException.class).hasMessageContaining("allowed next: none");
  }

  @Test
  void proposals_racing_for_one_incident_create_one_run_and_none_while_a_persons_run_is_active() throws Exception {
    List<Future<ObjectNode>> racing = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      racing.add(engine.propose(Actor.agent(), person("alice"), new NewRun("high",
          EngineFixture.JSON.readTree("{\"n\": " + N.incrementAndGet() + "}"), Optional.of("INC-P-9"), RunKind.LIVE)));
    }
    Future.join(racing).otherwise(v -> null).await(30, SECONDS);

    assertThat(racing).filteredOn(Future::succeeded).hasSize(1);
    String created = racing.stream().filter(Future::succeeded).findFirst().orElseThrow().result().path("id").asText();
    for (Future<ObjectNode> refused : racing.stream().filter(Future::failed).toList()) {
      assertThat(refused.cause()).isInstanceOf(ConflictException.class)
          .hasMessageContaining("run " + created + " is active for incident INC-P-9");
    }
    assertThat(engine.runsOfIncident("INC-P-9").await(10, SECONDS)).hasSize(1);

    // A person's unfinished run counts too: the agent proposes beside no active run.
    JsonNode persons = fixture.create(engine, "bruno", "high", "{\"n\": 3}");
    fixture.sql("update runs set incident_id = 'INC-P-10' where id = ?", persons.path("id").asText());
    assertThatThrownBy(() -> proposeHigh("INC-P-10", "alice")).isInstanceOf(ConflictException.class)
        .hasMessageContaining("run " + persons.path("id").asText() + " is active for incident INC-P-10");
  }

  @Test
  void the_runs_of_an_incident_are_listed_oldest_first_with_who_requested_and_proposed_them() throws Exception {
    JsonNode first = fixture.create(engine, "bruno", "high", "{\"n\": 2}");
    ObjectNode unrelated = (ObjectNode) proposeHigh("INC-P-OTHER", "alice");
    String firstId = first.path("id").asText();
    // A run a person started without the agent, attached to the incident as the HTTP API would,
    // and finished: the agent proposes only while no run of the incident is active.
    fixture.sql("update runs set incident_id = 'INC-P-8', state = 'aborted' where id = ?", firstId);
    JsonNode second = proposeHigh("INC-P-8", "dmitri");

    List<ObjectNode> runs = engine.runsOfIncident("INC-P-8").await(10, SECONDS);

    assertThat(runs).extracting(r -> r.path("id").asText()).containsExactly(firstId, second.path("id").asText());
    assertThat(runs.get(0).path("requested_by").asText()).isEqualTo("bruno");
    assertThat(runs.get(0).path("proposed_by").isNull()).isTrue();
    assertThat(runs.get(1).path("requested_by").asText()).isEqualTo("dmitri");
    assertThat(runs.get(1).path("proposed_by").asText()).isEqualTo("agent");
    assertThat(runs.get(1).path("state").asText()).isEqualTo("proposed");
    assertThat(engine.runsOfIncident("INC-NONE").await(10, SECONDS)).isEmpty();
    assertThat(unrelated.path("incident_id").asText()).isEqualTo("INC-P-OTHER");
  }
}
