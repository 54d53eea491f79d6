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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search and incident routes on the whole service over http-fixtures; the index is built in the
 * background at start, so the tests first wait for readiness to report it fresh.
 */
@ExtendWith(VertxExtension.class)
class RetrievalRoutesIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @TempDir static Path tempDir;

  private static ServiceUnderTest service;
  private static String viewer;
  private static String responder;

  @BeforeAll
  static void startService(Vertx vertx) throws Exception {
    service = ServiceUnderTest.start(vertx, db, tempDir);
    viewer = service.token("grace", Role.VIEWER);
    responder = service.token("dmitri", Role.RESPONDER);
    long deadline = System.currentTimeMillis() + 120_000;
    while (!"fresh".equals(retrieval().getString("index"))) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("index not built: " + retrieval());
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stopService() throws Exception {
    service.stop();
  }

  private static JsonObject retrieval() throws Exception {
    HttpResponse<Buffer> ready = service.get("/health/ready", null);
    return ready.bodyAsJsonObject().getJsonObject("details").getJsonObject("retrieval");
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void readiness_reports_the_index_and_stays_up() throws Exception {
    HttpResponse<Buffer> ready = service.get("/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject r = ready.bodyAsJsonObject().getJsonObject("details").getJsonObject("retrieval");
    assertThat(r.getString("status")).isEqualTo("up");
    assertThat(r.getString("model")).isEqualTo(dev.rebound.retrieval.MiniLmEmbedder.MODEL);
    assertThat(r.getInteger("dimension")).isEqualTo(384);
    assertThat(r.getBoolean("stale")).isFalse();
    assertThat(r.getJsonObject("stale_documents").getInteger("added")).isZero();
  }

  @Test
  void search_needs_a_token_and_answers_with_why_each_hit_matched() throws Exception {
    assertThat(service.get("/api/search?q=stale", null).statusCode()).isEqualTo(401);

    HttpResponse<Buffer> res = service.get("/api/search?q=" + q("online features are stale") + "&kind=runbook&k=2", viewer);

    assertThat(res.statusCode()).isEqualTo(200);
    JsonObject body = res.bodyAsJsonObject();
    assertThat(body.getString("kind")).isEqualTo("runbook");
    JsonArray hits = body.getJsonArray("hits");
    assertThat(hits).hasSize(2);
    JsonObject top = hits.getJsonObject(0);
    assertThat(top.getString("id")).isEqualTo("feature-store-restore");
    assertThat(top.getString("kind")).isEqualTo("runbook");
    assertThat(top.getString("title")).startsWith("Restore the online feature store");
    assertThat(top.getDouble("score")).isPositive();
    assertThat(top.getJsonObject("why").getInteger("vector_rank")).isEqualTo(1);
    assertThat(top.getJsonObject("why").containsKey("text_rank")).isTrue();
    assertThat(top.getJsonObject("why").getDouble("title_words")).isBetween(0.01, 1.0); // "online", "feature"
    assertThat(top.getJsonObject("why").getInteger("overview_rank")).isPositive();
    assertThat(top.getString("snippet")).isNotBlank();
  }

  @Test
  void bad_search_parameters_are_a_400_naming_the_problem() throws Exception {
    assertBadRequest("/api/search", "query is empty");
    assertBadRequest("/api/search?q=%20", "query is empty");
    assertBadRequest("/api/search?q=" + "x".repeat(2001), "at most 2000");
    // 7 kB percent-encoded: past the HTTP decoder's default limit, so this reaches validation only with ours
    assertBadRequest("/api/search?q=" + q("é".repeat(1001) + "e".repeat(1000)), "query is 2001 characters long");
    assertBadRequest("/api/search?q=x&kind=playbook", "unknown kind 'playbook'");
    assertBadRequest("/api/search?q=x&k=0", "k must be between 1 and 50");
    assertBadRequest("/api/search?q=x&k=many", "k must be a whole number");
    assertBadRequest("/api/search?q=x&q=y", "q is given 2 times: give it once");
  }

  @Test
  void search_refuses_an_unknown_parameter_rather_than_ignoring_it() throws Exception {
    // ?query= instead of ?q= was "query is empty"; ?kinds= was ignored and every kind came back.
    HttpResponse<Buffer> res = service.get("/api/search?q=stale&kinds=runbook&limit=3", viewer);

    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(400);
    assertThat(res.bodyAsJsonObject().getJsonObject("error").getJsonArray("problems").stream()
        .map(String::valueOf).toList()).containsExactly(
        "unknown parameter 'kinds' (known: q, kind, k)",
        "unknown parameter 'limit' (known: q, kind, k)");
  }

  @Test
  void the_incident_list_filters_by_asset_and_status_and_refuses_a_filter_it_does_not_know() throws Exception {
    JsonArray all = service.get("/api/incidents", viewer).bodyAsJsonObject().getJsonArray("incidents");
    JsonArray ofAsset = service.get("/api/incidents?asset=features.online", viewer).bodyAsJsonObject()
        .getJsonArray("incidents");
    JsonArray resolved = service.get("/api/incidents?status=resolved&asset=features.online", viewer)
        .bodyAsJsonObject().getJsonArray("incidents");

    List<String> expected = all.stream().map(JsonObject.class::cast)
        .filter(i -> i.getJsonArray("assets").contains("features.online")).map(i -> i.getString("id")).toList();
    assertThat(expected).isNotEmpty().hasSizeLessThan(all.size());
    assertThat(ofAsset.stream().map(i -> ((JsonObject) i).getString("id")).toList()).isEqualTo(expected);
    assertThat(resolved.stream().map(JsonObject.class::cast)).isNotEmpty()
        .allMatch(i -> i.getString("status").equals("resolved") && i.getJsonArray("assets").contains("features.online"));
    // An ignored filter would answer with every incident as if it were the filtered list.
    HttpResponse<Buffer> unknown = service.get("/api/incidents?assets=features.online&status=closed", viewer);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.bodyAsString()).contains("unknown parameter 'assets' (known: asset, status, limit, before)");
    HttpResponse<Buffer> badStatus = service.get("/api/incidents?status=closed", viewer);
    assertThat(badStatus.statusCode()).isEqualTo(400);
    assertThat(badStatus.bodyAsString()).contains("status must be one of open, mitigated, resolved, got 'closed'");
  }

  @Test
  void a_request_line_past_the_server_limit_is_a_json_414_naming_the_limit() throws Exception {
    HttpResponse<Buffer> res = service.get("/api/search?q=" + "x".repeat(40_000), viewer);

    assertThat(res.statusCode()).isEqualTo(414);
    JsonObject error = res.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("uri_too_long");
    assertThat(error.getString("message")).contains("longer than 32768 bytes", "at most 2000 characters");
  }

  @Test
  void incidents_are_reported_read_compared_and_given_runbooks() throws Exception {
    JsonObject incident = new JsonObject()
        .put("id", "INC-R-1").put("title", "Online features stale after the ingest consumer stalled")
        .put("date", "2025-06-12T03:14:00Z").put("severity", "sev2").put("status", "resolved")
        .put("assets", new JsonArray().add("features.online")).put("symptoms", new JsonArray().add("FeatureStoreStale"))
        .put("root_cause", "The consumer credential expired.").put("resolution", "Rotated it.")
        .put("runbooks_used", new JsonArray().add("feature-store-restore@3"))
        .put("body", "## Summary\nFeatures were stale for 100 minutes.");
    assertThat(service.post("/api/incidents", null, incident).statusCode()).isEqualTo(401);
    assertThat(service.post("/api/incidents", viewer, incident).statusCode()).isEqualTo(403);
    HttpResponse<Buffer> created = service.post("/api/incidents", responder, incident);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("source")).isEqualTo("api");
    assertThat(service.post("/api/incidents", responder, incident).statusCode()).isEqualTo(409);
    JsonArray audited = service.get("/api/audit?action=incident.reported&incident=INC-R-1", viewer)
        .bodyAsJsonObject().getJsonArray("entries");
    assertThat(audited).as("one entry: the refused duplicate left none").hasSize(1);
    assertThat(audited.getJsonObject(0).getString("actor_id")).isEqualTo("dmitri");
    assertThat(audited.getJsonObject(0).getString("actor_type")).isEqualTo("human");
    assertThat(audited.getJsonObject(0).getString("subject_id")).isEqualTo("INC-R-1");
    assertThat(audited.getJsonObject(0).getJsonObject("details").getString("via")).isEqualTo("api");
    assertThat(service.get("/api/audit/verify", viewer).bodyAsJsonObject().getBoolean("ok")).isTrue();
    HttpResponse<Buffer> noStatus = service.post("/api/incidents", responder, new JsonObject()
        .put("title", "Ranker model rolled back after a bad deploy").put("date", "2025-03-01").put("severity", "sev1")
        .put("assets", new JsonArray().add("models.ranker")));
    assertThat(noStatus.statusCode()).isEqualTo(201);
    assertThat(noStatus.bodyAsJsonObject().getString("status")).as("reported now, so open").isEqualTo("open");
    HttpResponse<Buffer> undated = service.post("/api/incidents", responder, new JsonObject()
        .put("title", "Ranker p99 latency at 2 s").put("severity", "sev3"));
    assertThat(undated.statusCode()).isEqualTo(201);
    assertThat(Duration.between(Instant.parse(undated.bodyAsJsonObject().getString("date")), Instant.now()))
        .as("no date: reported now").isBetween(Duration.ZERO, Duration.ofMinutes(1));
    HttpResponse<Buffer> bad = service.post("/api/incidents", responder,
        new JsonObject().put("title", "x").put("date", "soon").put("severity", "bad"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getJsonObject("error").getJsonArray("problems").encode())
        .contains("date must be YYYY-MM-DD").contains("severity must be one of sev1");
    HttpResponse<Buffer> later = service.post("/api/incidents", responder, new JsonObject().put("id", 42)
        .put("title", "t".repeat(20_000)).put("date", "2999-01-01").put("severity", "sev3")
        .put("assets", new JsonArray().add("features.online").add("nope.asset")));
    assertThat(later.statusCode()).isEqualTo(400);
    assertThat(later.bodyAsJsonObject().getJsonObject("error").getJsonArray("problems").getList()).satisfiesExactly(
        p -> assertThat(p).isEqualTo("id: id must be a JSON string, not a number 42"),
        p -> assertThat(p).isEqualTo("title: title is 20000 characters; at most 200 (put the detail in symptoms,"
            + " root_cause or the body)"),
        p -> assertThat(p.toString()).startsWith("date: date 2999-01-01 is in the future"),
        p -> assertThat(p).isEqualTo("assets/1: unknown asset 'nope.asset' (not in knowledge/assets.yaml)"));

    HttpResponse<Buffer> got = service.get("/api/incidents/INC-R-1", viewer);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.bodyAsJsonObject().getJsonArray("runbooks_used")).containsExactly("feature-store-restore@3");
    assertThat(got.bodyAsJsonObject().getLong("duration_s")).isNull();
    assertThat(service.get("/api/incidents/INC-NOPE", viewer).statusCode()).isEqualTo(404);

    HttpResponse<Buffer> similar = service.get("/api/incidents/INC-R-1/similar?k=3", viewer);
    assertThat(similar.statusCode()).isEqualTo(200);
    JsonObject first = similar.bodyAsJsonObject().getJsonArray("similar").getJsonObject(0);
    assertThat(first.getString("id")).matches("INC-\\d{4}-001");
    assertThat(first.getJsonObject("score_parts").containsKey("meaning")).isTrue();
    assertThat(first.getJsonArray("reasons")).isNotEmpty();
    assertThat(first.containsKey("resolution")).isTrue();
    assertBadRequest("/api/incidents/INC-R-1/similar?k=99", "k must be given once");

    HttpResponse<Buffer> runbooks = service.get("/api/incidents/INC-R-1/runbooks", viewer);
    assertThat(runbooks.statusCode()).isEqualTo(200);
    JsonArray list = runbooks.bodyAsJsonObject().getJsonArray("runbooks");
    assertThat(list.getJsonObject(0).getString("id")).isEqualTo("feature-store-restore");
    assertThat(list.getJsonObject(0).getInteger("version")).isEqualTo(3);
    assertThat(list.getJsonObject(0).getJsonArray("reasons").encode()).contains("recovers the affected features.online");
    assertThat(list.stream().map(o -> ((JsonObject) o).getString("id"))).doesNotContain("model-rollback");

    HttpResponse<Buffer> found = service.get("/api/search?q=" + q("consumer credential expired") + "&kind=incident", viewer);
    assertThat(found.bodyAsJsonObject().getJsonArray("hits").getJsonObject(0).getString("id")).isEqualTo("INC-R-1");
  }

  @Test
  void a_similar_incident_still_open_is_flagged_as_possibly_the_same_problem() throws Exception {
    // One problem reported twice while the first report is still open (an alert, then a person).
    JsonObject first = new JsonObject().put("id", "INC-R-OPEN-1").put("title", "Ranker returns constant scores")
        .put("severity", "sev2").put("assets", new JsonArray().add("models.ranker"))
        .put("symptoms", new JsonArray().add("ModelPredictionSanityFailed"));
    assertThat(service.post("/api/incidents", responder, first).statusCode()).isEqualTo(201);
    JsonObject second = first.copy().put("id", "INC-R-OPEN-2").put("title", "Ranker scores all 0.5");
    assertThat(service.post("/api/incidents", responder, second).statusCode()).isEqualTo(201);

    JsonArray similar = service.get("/api/incidents/INC-R-OPEN-2/similar?k=5", viewer).bodyAsJsonObject()
        .getJsonArray("similar");
    JsonObject open = similar.stream().map(JsonObject.class::cast)
        .filter(o -> o.getString("id").equals("INC-R-OPEN-1")).findFirst().orElseThrow();
    assertThat(open.getString("status")).isEqualTo("open");

    JsonObject chat = service.post("/api/chat", responder,
        new JsonObject().put("incident_id", "INC-R-OPEN-2").put("message", "what now?")).bodyAsJsonObject();
    assertThat(chat.getString("reply")).contains("INC-R-OPEN-1 \"Ranker returns constant scores\"")
        .contains("[open now: possibly the same problem]");
    JsonObject guided = chat.getJsonObject("guided").getJsonArray("similar_incidents").stream()
        .map(JsonObject.class::cast).filter(o -> o.getString("id").equals("INC-R-OPEN-1")).findFirst().orElseThrow();
    assertThat(guided.getString("status")).isEqualTo("open");
  }

  private static void assertBadRequest(String path, String message) throws Exception {
    HttpResponse<Buffer> res = service.get(path, viewer);
    assertThat(res.statusCode()).as(path).isEqualTo(400);
    assertThat(res.bodyAsJsonObject().encode()).as(path).contains(message);
  }
}
