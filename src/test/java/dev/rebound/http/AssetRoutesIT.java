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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The asset routes over http-fixtures' inventory: warehouse.events → pipelines.feature-ingest →
 * features.online → services.ranking (5m RTO), and warehouse.events → datasets.training →
 * models.ranker → services.ranking by lineage.
 */
@ExtendWith(VertxExtension.class)
class AssetRoutesIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @TempDir static Path tempDir;

  private static ServiceUnderTest service;
  private static String viewer;

  @BeforeAll
  static void startService(Vertx vertx) throws Exception {
    service = ServiceUnderTest.start(vertx, db, tempDir);
    viewer = service.token("grace", Role.VIEWER);
  }

  @AfterAll
  static void stopService() throws Exception {
    service.stop();
  }

  @Test
  void the_list_has_every_asset_in_file_order_with_snake_case_fields() throws Exception {
    JsonArray assets = ok(service.get("/api/assets", viewer)).getJsonArray("assets");

    assertThat(ids(assets)).containsExactly("warehouse.events", "pipelines.feature-ingest", "features.online",
        "datasets.training", "models.ranker", "services.ranking");
    JsonObject online = assets.getJsonObject(2);
    assertThat(online.getString("kind")).isEqualTo("feature_store");
    assertThat(online.getString("rto")).isEqualTo("30m");
    assertThat(online.getLong("rto_ms")).isEqualTo(1_800_000L);
    assertThat(online.getJsonArray("depends_on")).containsExactly("pipelines.feature-ingest");
    assertThat(online.getJsonArray("recovery_runbooks")).containsExactly("feature-store-restore");
    JsonObject model = assets.getJsonObject(4);
    assertThat(model.getJsonObject("training_data").getString("asset")).isEqualTo("datasets.training");
    assertThat(assets.getJsonObject(3).containsKey("tier")).isFalse();
  }

  @Test
  void an_asset_shows_what_it_needs_and_what_needs_it() throws Exception {
    JsonObject body = ok(service.get("/api/assets/features.online", viewer));

    assertThat(body.getJsonObject("asset").getString("id")).isEqualTo("features.online");
    JsonArray upstream = body.getJsonArray("upstream");
    assertThat(ids(upstream)).containsExactly("pipelines.feature-ingest", "warehouse.events");
    assertThat(upstream.getJsonObject(0).getInteger("distance")).isEqualTo(1);
    assertThat(upstream.getJsonObject(0).getString("via")).isEqualTo("depends_on");
    assertThat(upstream.getJsonObject(1).getJsonArray("path"))
        .containsExactly("features.online", "pipelines.feature-ingest", "warehouse.events");
    JsonArray downstream = body.getJsonArray("downstream");
    assertThat(ids(downstream)).containsExactly("services.ranking");
    assertThat(downstream.getJsonObject(0).getString("rto")).isEqualTo("5m");
  }

  @Test
  void the_impact_of_a_failure_lists_everything_downstream_and_the_tightest_rto() throws Exception {
    JsonObject report = ok(service.get("/api/assets/warehouse.events/impact", viewer));

    assertThat(report.getJsonObject("failed_asset").getString("id")).isEqualTo("warehouse.events");
    assertThat(report.getInteger("affected_count")).isEqualTo(5);
    assertThat(ids(report.getJsonArray("affected"))).containsExactly("datasets.training", "pipelines.feature-ingest",
        "features.online", "models.ranker", "services.ranking");
    JsonObject model = report.getJsonArray("affected").getJsonObject(3);
    assertThat(model.getInteger("distance")).isEqualTo(2);
    assertThat(model.getString("via")).isEqualTo("training_data");
    JsonObject tightest = report.getJsonObject("tightest_rto");
    assertThat(tightest.getString("asset_id")).isEqualTo("services.ranking");
    assertThat(tightest.getString("rto")).isEqualTo("5m");
    assertThat(tightest.getLong("rto_ms")).isEqualTo(300_000L);
  }

  @Test
  void the_recovery_order_puts_dependencies_first() throws Exception {
    JsonObject plan = ok(service.get("/api/assets/recovery-order?failed=features.online,warehouse.events", viewer));

    assertThat(plan.getJsonArray("failed")).containsExactly("features.online", "warehouse.events");
    List<Object> order = plan.getJsonArray("order").getList();
    assertThat(order).containsExactlyInAnyOrder("warehouse.events", "pipelines.feature-ingest", "features.online",
        "datasets.training", "models.ranker", "services.ranking");
    assertThat(order.indexOf("warehouse.events")).isLessThan(order.indexOf("pipelines.feature-ingest"));
    assertThat(order.indexOf("pipelines.feature-ingest")).isLessThan(order.indexOf("features.online"));
    assertThat(order.indexOf("features.online")).isLessThan(order.indexOf("services.ranking"));
    assertThat(order.indexOf("models.ranker")).isLessThan(order.indexOf("services.ranking"));
    JsonObject firstWave = plan.getJsonArray("waves").getJsonObject(0);
    assertThat(firstWave.getInteger("wave")).isEqualTo(1);
    assertThat(ids(firstWave.getJsonArray("assets"))).containsExactly("warehouse.events");
    assertThat(firstWave.getJsonArray("assets").getJsonObject(0).getString("action")).isEqualTo("restore");
    JsonObject last = plan.getJsonArray("waves").getJsonObject(plan.getJsonArray("waves").size() - 1);
    assertThat(ids(last.getJsonArray("assets"))).containsExactly("services.ranking");
    assertThat(last.getJsonArray("assets").getJsonObject(0).getString("action")).isEqualTo("revalidate");

    JsonObject repeated = ok(service.get("/api/assets/recovery-order?failed=features.online&failed=warehouse.events", viewer));
    assertThat(repeated.getJsonArray("order")).isEqualTo(plan.getJsonArray("order"));
  }

  @Test
  void an_unknown_asset_gets_404_naming_it() throws Exception {
    assertError(service.get("/api/assets/no.such", viewer), 404, "not_found", "asset 'no.such' not found");
    assertError(service.get("/api/assets/no.such/impact", viewer), 404, "not_found", "asset 'no.such' not found");
    assertError(service.get("/api/assets/recovery-order?failed=features.online,no.such", viewer), 404, "not_found",
        "asset 'no.such' not found");
    assertError(service.get("/api/assets/recovery-order?failed=gone.a,features.online,gone.b", viewer), 404,
        "not_found", "assets 'gone.a', 'gone.b' not found");
  }

  @Test
  void a_recovery_order_without_failed_assets_gets_400() throws Exception {
    assertError(service.get("/api/assets/recovery-order", viewer), 400, "invalid_request", "failed is required");
    assertError(service.get("/api/assets/recovery-order?failed=,", viewer), 400, "invalid_request",
        "failed is required");
  }

  @Test
  void every_route_needs_a_token() throws Exception {
    for (String path : List.of("/api/assets", "/api/assets/features.online", "/api/assets/features.online/impact",
        "/api/assets/recovery-order?failed=features.online")) {
      assertError(service.get(path, null), 401, "unauthenticated", "missing bearer token");
    }
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

  private static List<String> ids(JsonArray items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(((JsonObject) item).getString("id")));
    return ids;
  }
}
