package dev.rebound.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.inventory.Role;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook routes against the real service over http-fixtures: feature-store-restore (by
 * alice, never approved here), serving-failover (by bruno; the approval scenario approves and
 * then edits it), model-rollback (loads but fails lint) and broken.yaml (does not load).
 */
@ExtendWith(VertxExtension.class)
class RunbookRoutesIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @TempDir static Path tempDir;

  private static final String SECRET_DEFAULT = "fixture-secret-7c1e9a40b2";

  private static ServiceUnderTest service;
  private static String alice;
  private static String bruno;
  private static String dmitri;
  private static String grace;

  @BeforeAll
  static void startService(Vertx vertx) throws Exception {
    service = ServiceUnderTest.start(vertx, db, tempDir);
    alice = service.token("alice", Role.APPROVER);
    bruno = service.token("bruno", Role.APPROVER);
    dmitri = service.token("dmitri", Role.RESPONDER);
    grace = service.token("grace", Role.VIEWER);
  }

  @AfterAll
  static void stopService() throws Exception {
    service.stop();
  }

  @Test
  void a_parameters_choices_are_read_from_its_datasource_and_a_failing_one_is_said_not_fatal() throws Exception {
    String path = "/api/runbooks/feature-store-restore/params/snapshot_id/choices";
    // The query is the author's text and reaches a production datasource: not before a second person approved it.
    assertError(service.get(path, dmitri), 409, "conflict", "choices are read only from a runbook that may start,"
        + " its query reviewed by a second person: runbook feature-store-restore v3 cannot be started: NOT APPROVED");
    ok(service.post("/api/runbooks/feature-store-restore/approve", bruno, new JsonObject().put("version", 3)));
    try {
      choicesOfAnApprovedRunbook(path);
    } finally {
      // The other tests know feature-store-restore as never approved.
      try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
        s.execute("delete from runbook_approvals where runbook_id = 'feature-store-restore'");
      }
    }
  }

  private static void choicesOfAnApprovedRunbook(String path) throws Exception {
    // No snapshots table in this database yet: the form still works, and says why there are no candidates.
    JsonObject missing = ok(service.get(path, dmitri));
    assertThat(missing.getJsonArray("choices")).isEmpty();
    assertThat(missing.getString("problem")).contains("datasource 'features'").contains("snapshots");

    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("create schema if not exists demo_features");
      s.execute("create table demo_features.snapshots (snapshot_id text, created_at timestamptz, row_count int,"
          + " verified boolean)");
      s.execute("insert into demo_features.snapshots values ('snap-00000001', '2026-01-01T00:00:00Z', 10, true),"
          + " ('snap-00000002', '2026-01-02T00:00:00Z', 20, true), ('snap-0000000b', '2026-01-03T00:00:00Z', 30, false),"
          // Rows the parameter would refuse: a button for them would fill the field with a value no run accepts.
          + " (null, '2025-12-31T00:00:00Z', 5, true), ('SNAP-LEGACY', '2025-12-30T00:00:00Z', 4, true),"
          // Nothing to pick, and an empty option Slack's menu refuses.
          + " ('  ', '2025-12-29T00:00:00Z', 3, true),"
          // A secret (FEATURES_ADMIN_TOKEN's value): shown masked, a pick would bind the mask.
          + " ('" + SECRET_DEFAULT + "', '2025-12-28T00:00:00Z', 2, true)");
    }
    JsonObject read = ok(service.get(path, dmitri));
    assertThat(read.getString("datasource")).isEqualTo("features");
    assertThat(read.getValue("problem")).isNull();
    JsonArray choices = read.getJsonArray("choices");
    assertThat(choices.stream().map(o -> ((JsonObject) o).getString("value"))).containsExactly("snap-00000002",
        "snap-00000001");
    assertThat(choices.getJsonObject(0).getString("label")).startsWith("created_at 2026-01-02").endsWith(", row_count 20");
    assertThat(read.getJsonArray("left_out").getList()).containsExactly(
        "param snapshot_id: a row's value (its first column) is NULL",
        "param snapshot_id: \"SNAP-LEGACY\" does not match ^snap-[0-9a-f]{8}$",
        "param snapshot_id: a row's value (its first column) is blank",
        "param snapshot_id: a row's value (its first column) holds a secret");
    assertThat(read.encode()).doesNotContain(SECRET_DEFAULT);

    assertError(service.get(path, grace), 403, "forbidden", "responder");
    assertError(service.get("/api/runbooks/feature-store-restore/params/replay_limit/choices", dmitri), 404,
        "not_found", "parameter replay_limit of runbook feature-store-restore names no choices");
    assertError(service.get("/api/runbooks/feature-store-restore/params/snapshot/choices", dmitri), 404,
        "not_found", "has no parameter 'snapshot' (it has: snapshot_id, replay_limit)");
    assertError(service.get("/api/runbooks/nope/params/snapshot_id/choices", dmitri), 404, "not_found", "nope");
  }

  @Test
  void the_list_shows_every_runbook_with_its_status_and_the_files_that_did_not_load() throws Exception {
    JsonObject body = ok(service.get("/api/runbooks", grace));

    assertThat(ids(body.getJsonArray("runbooks")))
        .containsExactly("feature-store-restore", "model-rollback", "serving-failover");
    JsonObject restore = entry(body, "feature-store-restore");
    assertThat(restore.getInteger("version")).isEqualTo(3);
    assertThat(restore.getString("title")).startsWith("Restore the online feature store");
    assertThat(restore.getString("summary")).isNotBlank();
    assertThat(restore.getJsonArray("assets")).containsExactly("features.online");
    assertThat(restore.getJsonArray("symptoms")).contains("FeatureStoreStale");
    assertThat(restore.getString("content_hash")).matches("[0-9a-f]{64}");
    assertThat(restore.getInteger("step_count")).isEqualTo(3);
    assertThat(restore.getString("highest_risk")).isEqualTo("high");
    JsonObject status = restore.getJsonObject("status");
    assertThat(status.getBoolean("approved")).isFalse();
    assertThat(status.getBoolean("changed_since_approval")).isFalse();
    assertThat(status.getJsonArray("approvals")).isEmpty();
    assertThat(status.getBoolean("active")).isTrue();
    assertThat(status.getString("environment")).isEqualTo("production");
    assertThat(status.getBoolean("startable")).isFalse();
    assertThat(entry(body, "model-rollback").getJsonObject("status").getBoolean("approved")).isFalse();
    assertThat(body.getJsonArray("problems")).hasSize(1);
    assertThat(body.getJsonArray("problems").getString(0))
        .containsPattern("broken\\.yaml:\\d+:\\d+: ")
        .contains("retires");
  }

  @Test
  void the_detail_has_the_parsed_file_its_params_lint_and_status() throws Exception {
    JsonObject body = ok(service.get("/api/runbooks/feature-store-restore", grace));

    assertThat(body.getString("id")).isEqualTo("feature-store-restore");
    assertThat(body.getInteger("version")).isEqualTo(3);
    assertThat(body.getString("author")).isEqualTo("alice");
    assertThat(body.getJsonObject("runbook").getJsonArray("steps")).hasSize(3);
    assertThat(body.getJsonObject("runbook").getJsonArray("steps").getJsonObject(0).getString("id"))
        .isEqualTo("pause-ingest");
    JsonArray params = body.getJsonArray("params");
    assertThat(params).hasSize(2);
    JsonObject snapshot = params.getJsonObject(0);
    assertThat(snapshot.getString("name")).isEqualTo("snapshot_id");
    assertThat(snapshot.getBoolean("required")).isTrue();
    assertThat(snapshot.getValue("default")).isNull();
    assertThat(snapshot.getJsonObject("schema").getString("pattern")).isEqualTo("^snap-[0-9a-f]{8}$");
    JsonObject limit = params.getJsonObject(1);
    assertThat(limit.getBoolean("required")).isFalse();
    assertThat(limit.getInteger("default")).isEqualTo(5000);
    assertThat(body.getJsonObject("lint").getJsonArray("errors")).isEmpty();
    assertThat(body.getJsonObject("lint").getBoolean("clean")).isTrue();
    assertThat(body.getJsonObject("status").getBoolean("approved")).isFalse();
  }

  @Test
  void the_detail_shows_lint_errors_and_warnings_with_positions() throws Exception {
    JsonObject lint = ok(service.get("/api/runbooks/model-rollback", grace)).getJsonObject("lint");

    assertThat(lint.getBoolean("clean")).isFalse();
    assertThat(lint.getJsonArray("errors")).singleElement().asString()
        .containsPattern("model-rollback\\.yaml:\\d+:\\d+: unknown runbook 'no-such-runbook'");
    assertThat(lint.getJsonArray("warnings")).isNotEmpty()
        .allSatisfy(w -> assertThat((String) w).contains(": warning: "));
    JsonObject error = findings(lint, "error").get(0);
    assertThat(error.getString("file")).endsWith("model-rollback.yaml");
    assertThat(error.getInteger("line")).isEqualTo(9);
    assertThat(error.getInteger("column")).isPositive();
    assertThat(error.getString("message")).isEqualTo("unknown runbook 'no-such-runbook'");
    assertThat(findings(lint, "warning")).isNotEmpty();
  }

  @Test
  void an_unknown_runbook_gets_a_json_404() throws Exception {
    assertError(service.get("/api/runbooks/no-such-runbook", grace), 404, "not_found",
        "runbook 'no-such-runbook' not found");
    assertError(service.get("/api/runbooks/no-such-runbook/plan", grace), 404, "not_found",
        "runbook 'no-such-runbook' not found");
    assertError(service.post("/api/runbooks/no-such-runbook/approve", bruno, new JsonObject().put("version", 1)),
        404, "not_found", "runbook 'no-such-runbook' not found");
  }

  @Test
  void the_plan_renders_real_urls_from_the_template_defaults_and_masks_secrets() throws Exception {
    HttpResponse<Buffer> response = service.get("/api/runbooks/feature-store-restore/plan?snapshot_id=snap-0a1b2c3d", grace);
    JsonObject plan = ok(response);

    assertThat(plan.getString("runbook_id")).isEqualTo("feature-store-restore");
    assertThat(plan.getBoolean("dry_run")).isTrue();
    assertThat(plan.getJsonObject("params"))
        .isEqualTo(new JsonObject().put("snapshot_id", "snap-0a1b2c3d").put("replay_limit", 5000));
    JsonObject pause = plan.getJsonArray("steps").getJsonObject(0);
    assertThat(pause.getJsonObject("action").getString("url"))
        .isEqualTo("http://features.fixture.test:8090/admin/ingest/pause");
    assertThat(pause.getJsonObject("action").getJsonObject("headers").getString("X-Admin-Token")).isEqualTo("***");
    assertThat(pause.getJsonObject("action").getJsonObject("body").getString("reason"))
        .isEqualTo("restore to snap-0a1b2c3d");
    JsonObject restore = plan.getJsonArray("steps").getJsonObject(1);
    assertThat(restore.getJsonObject("action").getJsonArray("args")).containsExactly("snap-0a1b2c3d", 5000);
    assertThat(restore.getJsonObject("approval").getInteger("approvals")).isEqualTo(2);
    assertThat(plan.getJsonObject("status").getBoolean("startable")).isFalse();
    assertThat(response.bodyAsString()).doesNotContain(SECRET_DEFAULT);
  }

  @Test
  void a_plan_with_bad_params_gets_400_listing_every_problem() throws Exception {
    HttpResponse<Buffer> one = service.get("/api/runbooks/feature-store-restore/plan?snapshot_id=oops", grace);
    assertError(one, 400, "invalid_params", "param snapshot_id");

    HttpResponse<Buffer> several =
        service.get("/api/runbooks/feature-store-restore/plan?snapshot_id=oops&replay_limit=lots&colour=red", grace);
    assertError(several, 400, "invalid_params", "(and 2 more)");
    JsonArray problems = several.bodyAsJsonObject().getJsonObject("error").getJsonArray("problems");
    assertThat(problems).hasSize(3);
    assertThat(problems.getString(0)).startsWith("param replay_limit: \"lots\" is not an integer");
    assertThat(problems.getString(1)).startsWith("param snapshot_id");
    assertThat(problems.getString(2)).startsWith("unknown param 'colour'");

    assertError(service.get("/api/runbooks/feature-store-restore/plan", grace), 400, "invalid_params",
        "param snapshot_id: missing");
    assertError(service.get("/api/runbooks/feature-store-restore/plan?snapshot_id=snap-0a1b2c3d&snapshot_id=snap-11111111",
        grace), 400, "invalid_params", "given 2 times");
  }

  @Test
  void the_author_cannot_approve_their_own_runbook() throws Exception {
    HttpResponse<Buffer> refused =
        service.post("/api/runbooks/feature-store-restore/approve", alice, new JsonObject().put("version", 3));

    assertError(refused, 403, "forbidden", "'alice' wrote feature-store-restore and cannot approve it");
    JsonObject status = ok(service.get("/api/runbooks/feature-store-restore", grace)).getJsonObject("status");
    assertThat(status.getBoolean("approved")).isFalse();
    assertThat(status.getJsonArray("approvals")).isEmpty();
  }

  @Test
  void only_approvers_who_are_people_can_approve() throws Exception {
    JsonObject request = new JsonObject().put("version", 3);

    assertError(service.post("/api/runbooks/feature-store-restore/approve", grace, request), 403, "forbidden",
        "this needs role approver; grace has role viewer");
    assertError(service.post("/api/runbooks/feature-store-restore/approve", dmitri, request), 403, "forbidden",
        "this needs role approver; dmitri has role responder");
    assertError(service.post("/api/runbooks/feature-store-restore/approve", ServiceUnderTest.ADMIN_TOKEN, request),
        403, "forbidden", "the admin token is not a person");
    assertThat(ok(service.get("/api/runbooks/feature-store-restore", grace))
        .getJsonObject("status").getJsonArray("approvals")).isEmpty();
  }

  @Test
  void approving_a_version_that_is_not_on_disk_gets_409() throws Exception {
    assertError(service.post("/api/runbooks/feature-store-restore/approve", bruno, new JsonObject().put("version", 2)),
        409, "conflict", "is at version 3 on disk, not 2");
  }

  @Test
  void approving_other_content_than_the_reviewed_one_gets_409() throws Exception {
    JsonObject request = new JsonObject().put("version", 3).put("content_hash", "0".repeat(64));

    assertError(service.post("/api/runbooks/feature-store-restore/approve", bruno, request), 409, "conflict",
        "changed since you reviewed it");
    assertThat(ok(service.get("/api/runbooks/feature-store-restore", grace))
        .getJsonObject("status").getJsonArray("approvals")).isEmpty();
  }

  @Test
  void a_reviewed_hash_that_differs_near_its_end_is_shown_up_to_the_difference() throws Exception {
    String current = ok(service.get("/api/runbooks/feature-store-restore", grace)).getString("content_hash");
    String mistyped = current.substring(0, 40) + (current.charAt(40) == 'a' ? "b" : "a") + current.substring(41);

    assertError(service.post("/api/runbooks/feature-store-restore/approve", bruno, new JsonObject().put("version", 3)
        .put("content_hash", mistyped)), 409, "conflict", "(content hash " + current.substring(0, 41) + "…, not "
        + mistyped.substring(0, 41) + "…)");
  }

  @Test
  void a_runbook_with_lint_errors_cannot_be_approved() throws Exception {
    assertError(service.post("/api/runbooks/model-rollback/approve", alice, new JsonObject().put("version", 1)),
        400, "invalid_request", "cannot approve a runbook with lint errors");
  }

  @Test
  void an_approval_request_without_a_proper_version_gets_400() throws Exception {
    HttpResponse<Buffer> response = service.post("/api/runbooks/serving-failover/approve", alice,
        new JsonObject().put("version", "two").put("coment", "typo"));

    assertError(response, 400, "invalid_request", "version must be a positive integer");
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getJsonArray("problems"))
        .containsExactly("version must be a positive integer, got \"two\" (a string)",
            "unknown field 'coment' (known: version, comment, content_hash)");
  }

  @Test
  void a_version_sent_as_a_string_is_named_as_one() throws Exception {
    HttpResponse<Buffer> response = service.post("/api/runbooks/serving-failover/approve", alice,
        new JsonObject().put("version", "1"));

    assertError(response, 400, "invalid_request", "version must be a positive integer, got \"1\" (a string)");
  }

  @Test
  void an_approval_holds_until_the_file_changes() throws Exception {
    String reviewed = ok(service.get("/api/runbooks/serving-failover", alice)).getString("content_hash");
    HttpResponse<Buffer> approved = service.post("/api/runbooks/serving-failover/approve", alice,
        new JsonObject().put("version", 2).put("comment", "reviewed the failback").put("content_hash", reviewed));

    JsonObject body = ok(approved);
    assertThat(body.getString("approved_by")).isEqualTo("alice");
    assertThat(body.getJsonObject("status").getBoolean("approved")).isTrue();
    assertThat(body.getJsonObject("status").getBoolean("startable")).isTrue();
    JsonObject approval = body.getJsonObject("status").getJsonArray("approvals").getJsonObject(0);
    assertThat(approval.getString("approved_by")).isEqualTo("alice");
    assertThat(approval.getString("approved_at")).isNotBlank();
    assertThat(approval.getString("comment")).isEqualTo("reviewed the failback");
    JsonObject listed = entry(ok(service.get("/api/runbooks", grace)), "serving-failover").getJsonObject("status");
    assertThat(listed.getBoolean("approved")).isTrue();
    assertThat(listed.getBoolean("changed_since_approval")).isFalse();

    // Same version, different content: the approval pinned the old content hash.
    Path file = service.runbookFile("serving-failover");
    Files.writeString(file, Files.readString(file).replace("to the standby", "to the warm standby"));

    JsonObject changed = entry(ok(service.get("/api/runbooks", grace)), "serving-failover").getJsonObject("status");
    assertThat(changed.getBoolean("approved")).isFalse();
    assertThat(changed.getBoolean("changed_since_approval")).isTrue();
    assertThat(changed.getBoolean("startable")).isFalse();
    assertThat(changed.getJsonArray("approvals").getJsonObject(0).getBoolean("matches_current_content")).isFalse();
    JsonObject planStatus = ok(service.get("/api/runbooks/serving-failover/plan", grace)).getJsonObject("status");
    assertThat(planStatus.getBoolean("approved")).isFalse();
    assertThat(planStatus.getBoolean("changed_since_approval")).isTrue();
  }

  @Test
  void every_route_needs_a_token() throws Exception {
    for (String path : List.of("/api/runbooks", "/api/runbooks/feature-store-restore",
        "/api/runbooks/feature-store-restore/plan?snapshot_id=snap-0a1b2c3d")) {
      assertError(service.get(path, null), 401, "unauthenticated", "missing bearer token");
    }
    assertError(service.post("/api/runbooks/feature-store-restore/approve", null, new JsonObject().put("version", 3)),
        401, "unauthenticated", "missing bearer token");
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    return response.bodyAsJsonObject();
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code, String messagePart) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).contains(messagePart);
  }

  private static List<String> ids(JsonArray runbooks) {
    List<String> ids = new ArrayList<>();
    runbooks.forEach(r -> ids.add(((JsonObject) r).getString("id")));
    return ids;
  }

  private static JsonObject entry(JsonObject list, String id) {
    return list.getJsonArray("runbooks").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("id").equals(id)).findFirst().orElseThrow();
  }

  private static List<JsonObject> findings(JsonObject lint, String severity) {
    return lint.getJsonArray("findings").stream().map(JsonObject.class::cast)
        .filter(f -> f.getString("severity").equals(severity)).toList();
  }
}
