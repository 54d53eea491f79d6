package dev.rebound.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.inventory.Role;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/drills/{id}} for a scenario whose runbook was never approved: such a drill
 * could only fail (the engine starts no unapproved runbook), so it is refused before anything
 * happens, and the runbook is not flagged for a drill that never ran. No demo system answers
 * here: the refusal comes first.
 */
@ExtendWith(VertxExtension.class)
class DrillRoutesIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @TempDir static Path tempDir;

  private static ServiceUnderTest service;
  private static String alice;

  @BeforeAll
  static void startService(Vertx vertx) throws Exception {
    service = ServiceUnderTest.start(vertx, db, tempDir);
    alice = service.token("alice", Role.APPROVER);
    Path drills = Files.createDirectories(service.runbookFile("serving-failover").getParent().resolveSibling("drills"));
    Files.writeString(drills.resolve("ranking-down.yaml"), """
        id: ranking-down
        title: The ranking service is down and fails over
        fault: serving-primary-down
        symptom: RankingServiceDown
        assets: [services.ranking]
        expected_runbook: serving-failover
        params: {}
        """);
  }

  @AfterAll
  static void stopService() throws Exception {
    service.stop();
  }

  @Test
  void a_drill_of_an_unapproved_runbook_is_refused_up_front_and_nothing_is_recorded() throws Exception {
    HttpResponse<Buffer> refused = service.post("/api/drills/ranking-down", alice, new JsonObject());

    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .startsWith("drill ranking-down not started, nothing recorded: runbook serving-failover v2 cannot be started")
        .contains("approve it first: rebound runbooks approve serving-failover@2");
    JsonObject scenarios = service.get("/api/drills", alice).bodyAsJsonObject();
    assertThat(scenarios.getJsonArray("scenarios").getJsonObject(0).getValue("last")).isNull();
    JsonObject history = service.get("/api/drills/history?runbook=serving-failover", alice).bodyAsJsonObject();
    assertThat(history.getJsonArray("drills")).isEmpty();
    JsonObject flag = service.get("/api/drills/flags?runbook=serving-failover", alice).bodyAsJsonObject();
    assertThat(flag.getString("last_status")).as(flag.encode()).isNull();
  }

  @Test
  void history_refuses_an_unknown_or_repeated_parameter_rather_than_listing_every_drill() throws Exception {
    // runbook_id is what the reports call the field: ignored, it answered with every runbook's drills.
    HttpResponse<Buffer> refused = service.get("/api/drills/history?runbook_id=serving-failover&limit=5&limit=6", alice);

    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getJsonArray("problems").stream()
        .map(String::valueOf).toList()).containsExactly(
        "limit is given 2 times: give it once",
        "unknown parameter 'runbook_id' (known: runbook, asset, limit)");
    HttpResponse<Buffer> all = service.get("/api/drills/history?runbook=serving-failover&asset=services.ranking&limit=5", alice);
    assertThat(all.statusCode()).as(all.bodyAsString()).isEqualTo(200);
  }

  @Test
  void the_drill_flag_of_an_id_that_names_no_runbook_is_404_not_never_drilled() throws Exception {
    HttpResponse<Buffer> flag = service.get("/api/drills/flags?runbook=serving-failovr", alice);

    assertThat(flag.statusCode()).as(flag.bodyAsString()).isEqualTo(404);
    assertThat(flag.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .isEqualTo("runbook 'serving-failovr' not found");
  }

  @Test
  void the_drill_flag_refuses_a_parameter_it_does_not_read() throws Exception {
    HttpResponse<Buffer> flag = service.get("/api/drills/flags?runbook=serving-failover&asset=services.ranking", alice);

    assertThat(flag.statusCode()).as(flag.bodyAsString()).isEqualTo(400);
    assertThat(flag.bodyAsString()).contains("unknown parameter 'asset' (known: runbook)");
  }
}
