package dev.rebound.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.AuditQuery;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.Database;
import dev.rebound.db.TokenStore;
import dev.rebound.inventory.Role;
import dev.rebound.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.math.BigDecimal;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(VertxExtension.class)
class AuditRoutesIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private static Database database;
  private static WebClient client;
  private static String viewerToken;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    ReboundConfig config = db.config(Map.of("REBOUND_HTTP_PORT", "0"));
    database = db.database(vertx).await(30, SECONDS);
    PgAuditLog log = new PgAuditLog(database.pool(), Masker.none());
    log.append(AuditEvent.of(ActorType.HUMAN, "alice", "run.proposed", "run", "run-1").withRun("run-1"))
        .await(10, SECONDS);
    log.append(AuditEvent.of(ActorType.AGENT, "agent", "tool.called", "tool", "search_runbooks")
        .withDetails(Map.of("score", new BigDecimal("0.1000000000000000055511151231257827")))).await(10, SECONDS);
    log.append(AuditEvent.of(ActorType.HUMAN, "bob", "step.approved", "step", "run-1/pause").withRun("run-1"))
        .await(10, SECONDS);
    viewerToken = new TokenStore(database.pool()).issue("val", Role.VIEWER, "test").await(10, SECONDS).token();
    HttpServerVerticle server = HttpServerVerticle.builder(config, database)
        .routes(new AuditRoutes(new AuditQuery(database.pool()), new AuditVerifier(database.pool()),
            new SimpleMeterRegistry()))
        .build();
    vertx.deployVerticle(server).await(30, SECONDS);
    client = WebClient.create(vertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  @AfterAll
  static void close() throws Exception {
    database.close().await(10, SECONDS);
  }

  @Test
  void a_viewer_lists_a_runs_entries_oldest_first(VertxTestContext test) {
    expect(test, get("/api/audit?run=run-1&order=oldest").send(), response -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      JsonArray entries = response.bodyAsJsonObject().getJsonArray("entries");
      assertThat(entries).hasSize(2);
      assertThat(entries.getJsonObject(0).getLong("seq")).isEqualTo(1);
      assertThat(entries.getJsonObject(1).getString("action")).isEqualTo("step.approved");
      assertThat(entries.getJsonObject(1).getString("prev_hash")).hasSize(64);
    });
  }

  @Test
  void filters_combine_and_numbers_keep_every_digit(VertxTestContext test) {
    expect(test, get("/api/audit?actor_type=agent&action=tool.&limit=5").send(), response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getInteger("count")).isEqualTo(1);
      assertThat(response.bodyAsString()).contains("0.1000000000000000055511151231257827");
    });
  }

  @Test
  void bad_parameters_are_all_reported_with_400(VertxTestContext test) {
    expect(test, get("/api/audit?limit=5000&after=x&order=sideways&actor_type=robot").send(), response -> {
      assertThat(response.statusCode()).isEqualTo(400);
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("invalid_request");
      assertThat(error.getJsonArray("problems").stream().map(String::valueOf).toList()).containsExactlyInAnyOrder(
          "after must be a whole number", "actor_type must be one of human, agent, system, drill",
          "order must be newest or oldest", "limit must be between 1 and 1000");
    });
  }

  @Test
  void an_unknown_or_repeated_filter_is_refused_not_ignored(VertxTestContext test) {
    // actor_id is what the entries call the field: ignored, it returned the whole trail as if filtered.
    expect(test, get("/api/audit?actor_id=nobody&run=a&run=b").send(), response -> {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getJsonArray("problems").stream()
          .map(String::valueOf).toList()).containsExactly(
          "unknown parameter 'actor_id' (known: run, incident, actor, actor_type, action, after, before, limit, order)",
          "run is given 2 times: give it once");
    });
  }

  @Test
  void verify_reports_an_intact_chain(VertxTestContext test) {
    expect(test, get("/api/audit/verify").send(), response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
          .put("ok", true).put("entries_checked", 3).putNull("first_broken_seq").putNull("reason")
          .put("pending", 0).put("summary", "audit chain intact: 3 entries"));
    });
  }

  @Test
  void anonymous_callers_are_refused(VertxTestContext test) {
    Future<HttpResponse<Buffer>> list = client.request(HttpMethod.GET, "/api/audit").send();
    Future<HttpResponse<Buffer>> verify = client.request(HttpMethod.GET, "/api/audit/verify").send();
    expect(test, Future.all(list, verify), all -> {
      assertThat(list.result().statusCode()).isEqualTo(401);
      assertThat(verify.result().statusCode()).isEqualTo(401);
    });
  }

  private static HttpRequest<Buffer> get(String path) {
    return client.request(HttpMethod.GET, path).bearerTokenAuthentication(viewerToken);
  }

  private static <T> void expect(VertxTestContext test, Future<T> future, Consumer<T> assertions) {
    future.onComplete(test.succeeding(value -> test.verify(() -> {
      assertions.accept(value);
      test.completeNow();
    })));
  }
}
