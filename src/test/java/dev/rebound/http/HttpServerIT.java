package dev.rebound.http;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.config.ReboundConfig;
import dev.rebound.db.Database;
import dev.rebound.db.TokenStore;
import dev.rebound.inventory.Role;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(VertxExtension.class)
class HttpServerIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789";
  private static final Duration TOKEN_CACHE_TTL = Duration.ofMillis(100);

  private static Vertx vertx;
  private static Database database;
  private static TokenStore tokens;
  private static WebClient client;

  @BeforeAll
  static void startServer(Vertx sharedVertx) throws Exception {
    vertx = sharedVertx;
    ReboundConfig config = db.config(Map.of(
        "REBOUND_HTTP_PORT", "0", "REBOUND_ADMIN_TOKEN", ADMIN_TOKEN, "REBOUND_BODY_LIMIT", "1024"));
    database = db.database(vertx).await(30, SECONDS);
    tokens = new TokenStore(database.pool());
    HttpServerVerticle server = HttpServerVerticle.builder(config, database)
        .routes(new TestRoutes())
        .tokenCacheTtl(TOKEN_CACHE_TTL)
        .build();
    vertx.deployVerticle(server).await(30, SECONDS);
    client = WebClient.create(vertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  @AfterAll
  static void closePool() throws Exception {
    database.close().await(10, SECONDS);
  }

  @Test
  void liveness_is_always_up(VertxTestContext test) {
    expect(test, get("/health/live").send(), response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "up"));
    });
  }

  @Test
  void readiness_is_up_on_a_migrated_database(VertxTestContext test) {
    expect(test, get("/health/ready").send(), response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject body = response.bodyAsJsonObject();
      assertThat(body.getString("status")).isEqualTo("up");
      assertThat(body.getJsonObject("details").getJsonObject("database").getString("status")).isEqualTo("up");
      assertThat(body.getJsonObject("details").getJsonObject("database").getString("schema_version")).isNotBlank();
    });
  }

  @Test
  void metrics_show_requests_by_route_template(VertxTestContext test) {
    Future<HttpResponse<Buffer>> scrape = get("/health/live").send()
        .compose(ignored -> get("/api/test/missing").bearerTokenAuthentication(ADMIN_TOKEN).send())
        .compose(ignored -> get("/metrics").send());
    expect(test, scrape, response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
      assertThat(response.bodyAsString())
          .contains("jvm_memory_used_bytes")
          .containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/health/live\"[^}]*status=\"200\"")
          .containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/api/test/missing\"[^}]*status=\"404\"");
    });
  }

  @Test
  void a_request_without_a_token_is_refused_with_401(VertxTestContext test) {
    expect(test, get("/api/whoami").send(), response -> {
      assertError(response, 401, "unauthenticated");
      assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    });
  }

  @Test
  void an_unknown_or_malformed_token_is_refused_with_401(VertxTestContext test) {
    Future<HttpResponse<Buffer>> unknown = get("/api/whoami").bearerTokenAuthentication("rb_not-a-real-token").send();
    Future<HttpResponse<Buffer>> basic = get("/api/whoami").putHeader("Authorization", "Basic YWRtaW46YWRtaW4=").send();
    expect(test, Future.all(unknown, basic).map(all -> all.<HttpResponse<Buffer>>list()), responses -> {
      for (HttpResponse<Buffer> response : responses) {
        assertError(response, 401, "unauthenticated");
        assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
      }
    });
  }

  @Test
  void an_issued_token_identifies_its_holder(VertxTestContext test) {
    Future<HttpResponse<Buffer>> whoami = tokens.issue("alice", Role.RESPONDER, "laptop")
        .compose(issued -> get("/api/whoami").bearerTokenAuthentication(issued.token()).send());
    expect(test, whoami, response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
          .put("identity", "alice").put("role", "responder").put("via", "api_token"));
      assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    });
  }

  @Test
  void a_role_below_the_routes_minimum_gets_403(VertxTestContext test) {
    Future<HttpResponse<Buffer>> call = tokens.issue("victor", Role.VIEWER, "")
        .compose(issued -> get("/api/test/approver-only").bearerTokenAuthentication(issued.token()).send());
    expect(test, call, response -> {
      assertError(response, 403, "forbidden");
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message"))
          .isEqualTo("this needs role approver; victor has role viewer");
    });
  }

  @Test
  void the_admin_token_is_admin_everywhere(VertxTestContext test) {
    Future<HttpResponse<Buffer>> whoami = get("/api/whoami").bearerTokenAuthentication(ADMIN_TOKEN).send();
    Future<HttpResponse<Buffer>> approverOnly = get("/api/test/approver-only").bearerTokenAuthentication(ADMIN_TOKEN).send();
    expect(test, Future.all(whoami, approverOnly), all -> {
      assertThat(whoami.result().bodyAsJsonObject()).isEqualTo(new JsonObject()
          .put("identity", "admin").put("role", "admin").put("via", "admin_token"));
      assertThat(approverOnly.result().statusCode()).isEqualTo(200);
    });
  }

  @Test
  void a_revoked_token_is_refused_once_the_cache_entry_expires(VertxTestContext test) {
    Future<int[]> statuses = tokens.issue("mallory", Role.APPROVER, "stolen").compose(issued ->
        get("/api/whoami").bearerTokenAuthentication(issued.token()).send().compose(before ->
            tokens.revoke(issued.token())
                .compose(revoked -> vertx.timer(TOKEN_CACHE_TTL.toMillis() * 3, MILLISECONDS))
                .compose(waited -> get("/api/whoami").bearerTokenAuthentication(issued.token()).send())
                .map(after -> new int[] {before.statusCode(), after.statusCode()})));
    expect(test, statuses, codes -> assertThat(codes).containsExactly(200, 401));
  }

  @Test
  void unknown_routes_get_a_json_404(VertxTestContext test) {
    Future<HttpResponse<Buffer>> outsideApi = get("/nope").send();
    Future<HttpResponse<Buffer>> insideApi = get("/api/nope").bearerTokenAuthentication(ADMIN_TOKEN).send();
    Future<HttpResponse<Buffer>> insideApiAnonymous = get("/api/nope").send();
    expect(test, Future.all(outsideApi, insideApi, insideApiAnonymous), all -> {
      assertError(outsideApi.result(), 404, "not_found");
      assertError(insideApi.result(), 404, "not_found");
      // Anonymous callers learn nothing about which /api paths exist.
      assertError(insideApiAnonymous.result(), 401, "unauthenticated");
    });
  }

  @Test
  void domain_exceptions_map_to_their_status(VertxTestContext test) {
    Future<HttpResponse<Buffer>> missing = get("/api/test/missing").bearerTokenAuthentication(ADMIN_TOKEN).send();
    Future<HttpResponse<Buffer>> boom = get("/api/test/boom").bearerTokenAuthentication(ADMIN_TOKEN).send();
    expect(test, Future.all(missing, boom), all -> {
      assertError(missing.result(), 404, "not_found");
      assertThat(missing.result().bodyAsJsonObject().getJsonObject("error").getString("message"))
          .isEqualTo("runbook 'nope' not found");
      assertError(boom.result(), 500, "internal_error");
      assertThat(boom.result().bodyAsString()).doesNotContain("internal detail");
    });
  }

  @Test
  void a_wrong_method_gets_a_json_405(VertxTestContext test) {
    expect(test, client.request(HttpMethod.POST, "/health/live").send(),
        response -> assertError(response, 405, "method_not_allowed"));
  }

  @Test
  void a_json_body_is_read_after_asynchronous_authentication(VertxTestContext test) {
    // A freshly issued token is not cached, so authentication really waits for the database
    // while the body arrives: the body must still reach the handler intact.
    JsonObject payload = new JsonObject().put("incident", "features stale").put("n", 3);
    Future<HttpResponse<Buffer>> echo = tokens.issue("alice", Role.VIEWER, "")
        .compose(issued -> post("/api/test/echo").bearerTokenAuthentication(issued.token()).sendJsonObject(payload));
    expect(test, echo, response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getJsonObject("echo")).isEqualTo(payload);
    });
  }

  @Test
  void malformed_json_gets_400(VertxTestContext test) {
    Future<HttpResponse<Buffer>> call = post("/api/test/echo").bearerTokenAuthentication(ADMIN_TOKEN)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"incident\": "));
    Future<HttpResponse<Buffer>> array = post("/api/test/echo").bearerTokenAuthentication(ADMIN_TOKEN)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("[1, 2]"));
    expect(test, Future.all(call, array), all -> {
      assertError(call.result(), 400, "malformed_json");
      assertThat(call.result().bodyAsJsonObject().getJsonObject("error").getString("message"))
          .startsWith("request body is not valid JSON");
      assertError(array.result(), 400, "malformed_json");
    });
  }

  @Test
  void a_body_over_the_limit_gets_413_and_anonymous_ones_are_refused_before_reading(VertxTestContext test) {
    Buffer big = Buffer.buffer("{\"x\": \"" + "a".repeat(2048) + "\"}");
    Future<HttpResponse<Buffer>> authenticated = post("/api/test/echo").bearerTokenAuthentication(ADMIN_TOKEN)
        .putHeader("Content-Type", "application/json").sendBuffer(big);
    Future<HttpResponse<Buffer>> anonymous = post("/api/test/echo")
        .putHeader("Content-Type", "application/json").sendBuffer(big);
    expect(test, Future.all(authenticated, anonymous), all -> {
      assertError(authenticated.result(), 413, "payload_too_large");
      assertError(anonymous.result(), 401, "unauthenticated");
    });
  }

  private static HttpRequest<Buffer> get(String path) {
    return client.request(HttpMethod.GET, path);
  }

  private static HttpRequest<Buffer> post(String path) {
    return client.request(HttpMethod.POST, path);
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }

  /** Completes the test when {@code future} succeeds and {@code assertions} pass. */
  private static <T> void expect(VertxTestContext test, Future<T> future, Consumer<T> assertions) {
    future.onComplete(test.succeeding(value -> test.verify(() -> {
      assertions.accept(value);
      test.completeNow();
    })));
  }
}
