package dev.rebound.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.rebound.engine.EngineFixture.actionHash;
import static dev.rebound.engine.EngineFixture.person;
import static dev.rebound.engine.EngineFixture.runIs;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Saga: of four mutating steps, step N fails; a rollback runs the undos of the steps that may
 * have applied, newest first, each with its step's idempotency key, on the record, then checks
 * the invariants. A 500 leaves step N's outcome unknown, so its own undo runs first; a 422 says
 * the target refused it, so it is not undone.
 */
@ExtendWith(VertxExtension.class)
class SagaIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension
  static final WireMockExtension target = WireMockExtension.newInstance().options(options().dynamicPort()).build();

  @TempDir Path tempDir;
  EngineFixture fixture;
  Engine engine;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    target.resetAll();
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"ok\": true}")));
    fixture = new EngineFixture(vertx, db, target, tempDir);
    engine = fixture.engine(EngineFixture.settings());
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @ParameterizedTest(name = "step {0} fails with {1}")
  @CsvSource({"1, 500", "2, 500", "3, 500", "4, 500", "1, 422", "2, 422", "3, 422", "4, 422"})
  void rollback_undoes_the_applied_steps_in_reverse_with_their_keys(int failing, int status) throws Exception {
    target.stubFor(post("/saga/s" + failing).willReturn(aResponse().withStatus(status)));
    String runId = fixture.create(engine, "dmitri", "saga", "{}").path("id").asText();

    for (int n = 1; n <= failing; n++) {
      String step = "s" + n;
      JsonNode view = fixture.await(engine, runId, EngineFixture.stepIs(step, "awaiting_approval"));
      engine.approve(person("alice"), runId, step, actionHash(view, step)).await(10, SECONDS);
      fixture.await(engine, runId, v -> List.of("succeeded", "failed")
          .contains(EngineFixture.step(v, step).path("state").asText()));
    }
    JsonNode failed = fixture.view(engine, runId);
    assertThat(EngineFixture.step(failed, "s" + failing).path("state").asText()).isEqualTo("failed");
    assertThat(failed.path("waiting_for").asText()).contains("decision after failed step s" + failing);
    assertThat(failed.path("awaiting").path("options").toString()).contains("rollback");

    engine.rollback(person("alice"), runId, "step failed").await(10, SECONDS);
    JsonNode done = fixture.await(engine, runId, runIs("rolled_back"));

    boolean unknown = status >= 500;
    int newest = unknown ? failing : failing - 1;
    List<String> expectedUndos = IntStream.iterate(newest, k -> k >= 1, k -> k - 1).mapToObj(k -> "s" + k).toList();
    List<ServeEvent> undos = target.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().endsWith("/undo"))
        .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
        .toList();
    assertThat(undos.stream().map(e -> e.getRequest().getUrl()).toList())
        .containsExactlyElementsOf(expectedUndos.stream().map(s -> "/saga/" + s + "/undo").toList());
    for (ServeEvent undo : undos) {
      String step = undo.getRequest().getUrl().replace("/saga/", "").replace("/undo", "");
      String key = runId + "/" + step;
      assertThat(undo.getRequest().getHeader("Idempotency-Key")).isEqualTo(key);
      ServeEvent forward = target.getAllServeEvents().stream()
          .filter(e -> e.getRequest().getUrl().equals("/saga/" + step)).findFirst().orElseThrow();
      assertThat(forward.getRequest().getHeader("Idempotency-Key")).isEqualTo(key);
    }
    // Steps after the failed one never ran.
    for (int k = failing + 1; k <= 4; k++) {
      assertThat(fixture.calls("POST", "/saga/s" + k)).isZero();
      assertThat(EngineFixture.step(done, "s" + k).path("state").asText()).isEqualTo("skipped");
    }
    // On the record, in the same order, and the invariants were checked after the rollback.
    assertThat(fixture.audit(runId, "step.rolled_back").stream().map(d -> d.path("step_id").asText()).toList())
        .containsExactlyElementsOf(expectedUndos);
    assertThat(fixture.auditActions(runId)).contains("rollback.started", "run.rolled_back");
    assertThat(done.path("checks").toString()).contains("\"phase\":\"invariant\"", "\"passed\":true");
    assertThat(fixture.audit(runId, "check.passed").stream().map(d -> d.path("phase").asText()).toList())
        .contains("invariant");
  }

  /**
   * A step whose outcome is unknown (a 500) is asked to be retried, then the run is aborted before
   * the retry is approved: the step ends skipped, yet its first attempt may have applied. The
   * abort's answer must still name it among what the run left in effect.
   */
  @Test
  void a_retry_aborted_before_it_ran_still_leaves_the_first_attempt_in_effect() throws Exception {
    String runId = retryAskedAfterAnUnknownOutcome();

    JsonNode aborted = engine.abort(person("alice"), runId, "changed my mind").await(10, SECONDS);

    assertThat(EngineFixture.step(aborted, "s2").path("state").asText()).isEqualTo("skipped");
    assertThat(aborted.path("left_in_effect").toString()).isEqualTo("[{\"step_id\":\"s1\",\"title\":\"Saga step 1\","
        + "\"applied\":\"yes\",\"undo\":\"by_hand\",\"undo_summary\":\"POST " + "http://127.0.0.1:" + target.getPort() + "/saga/s1/undo\"},"
        + "{\"step_id\":\"s2\",\"title\":\"Saga step 2\",\"applied\":\"maybe\",\"undo\":\"by_hand\","
        + "\"undo_summary\":\"POST " + "http://127.0.0.1:" + target.getPort() + "/saga/s2/undo\"}]");
  }

  /**
   * The same, rolled back instead of aborted: the step's first attempt may have applied, so the
   * rollback undoes it too (once), newest first, and nothing is left in effect. Before, only the
   * steps in a succeeded or failed state were undone: s2, skipped by the rollback after its retry
   * was asked, kept whatever its first attempt did.
   */
  @Test
  void a_rollback_after_a_retry_was_asked_undoes_the_first_attempt_too() throws Exception {
    String runId = retryAskedAfterAnUnknownOutcome();

    engine.rollback(person("alice"), runId, "back to where we were").await(10, SECONDS);
    JsonNode done = fixture.await(engine, runId, runIs("rolled_back"));

    List<String> undos = target.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().endsWith("/undo"))
        .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
        .map(e -> e.getRequest().getUrl()).toList();
    assertThat(undos).containsExactly("/saga/s2/undo", "/saga/s1/undo");
    assertThat(fixture.audit(runId, "rollback.started").get(0).path("undo_order").toString())
        .isEqualTo("[\"s2\",\"s1\"]");
    assertThat(done.path("left_in_effect").toString()).isEqualTo("[]");
  }

  /** A run whose s1 succeeded and whose s2 failed with a 500 (it may have applied), a retry of s2 asked. */
  private String retryAskedAfterAnUnknownOutcome() throws Exception {
    target.stubFor(post("/saga/s2").willReturn(aResponse().withStatus(500)));
    String runId = fixture.create(engine, "dmitri", "saga", "{}").path("id").asText();
    for (String step : List.of("s1", "s2")) {
      JsonNode view = fixture.await(engine, runId, EngineFixture.stepIs(step, "awaiting_approval"));
      engine.approve(person("alice"), runId, step, actionHash(view, step)).await(10, SECONDS);
      fixture.await(engine, runId, v -> List.of("succeeded", "failed")
          .contains(EngineFixture.step(v, step).path("state").asText()));
    }
    engine.retry(person("alice"), runId, "s2").await(10, SECONDS);
    fixture.await(engine, runId, EngineFixture.stepIs("s2", "awaiting_approval"));
    return runId;
  }
}
