package dev.rebound.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.config.ReboundConfig;
import dev.rebound.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server keeps answering, honestly, while its database is unreachable. */
@ExtendWith(VertxExtension.class)
class HttpServerWithoutDatabaseIT {
  private static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789";

  private static ReboundConfig config;
  private static HttpServerVerticle server;
  private static WebClient client;

  @BeforeAll
  static void startServer(Vertx vertx) throws Exception {
    // Port 1 on localhost: nothing listens there, so every connection is refused at once.
    config = ReboundConfig.from(Map.of(
        "DATABASE_URL", "postgresql://rebound:rebound-local-pw@127.0.0.1:1/rebound",
        "REBOUND_HTTP_PORT", "0",
        "REBOUND_ADMIN_TOKEN", ADMIN_TOKEN));
    server = HttpServerVerticle.builder(config, Database.create(vertx, config.database())).build();
    vertx.deployVerticle(server).await(30, SECONDS);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  @Test
  void readiness_is_503_with_the_reason_while_liveness_stays_up(VertxTestContext test) {
    var ready = client.request(HttpMethod.GET, "/health/ready").send();
    var live = client.request(HttpMethod.GET, "/health/live").send();
    Future.all(ready, live).onComplete(test.succeeding(all -> test.verify(() -> {
      assertThat(ready.result().statusCode()).isEqualTo(503);
      JsonObject body = ready.result().bodyAsJsonObject();
      assertThat(body.getString("status")).isEqualTo("down");
      JsonObject database = body.getJsonObject("details").getJsonObject("database");
      assertThat(database.getString("status")).isEqualTo("down");
      assertThat(database.getString("reason")).startsWith("database unreachable");
      assertThat(live.result().statusCode()).isEqualTo(200);
      test.completeNow();
    })));
  }

  @Test
  void api_tokens_cannot_be_checked_so_the_answer_is_503_but_the_admin_token_still_works(VertxTestContext test) {
    var issued = client.request(HttpMethod.GET, "/api/whoami").bearerTokenAuthentication("rb_some-issued-token").send();
    var admin = client.request(HttpMethod.GET, "/api/whoami").bearerTokenAuthentication(ADMIN_TOKEN).send();
    Future.all(issued, admin).onComplete(test.succeeding(all -> test.verify(() -> {
      assertThat(issued.result().statusCode()).isEqualTo(503);
      assertThat(issued.result().bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unavailable");
      // Before: "cannot check the token: Connection refused: …", which did not say what was refused.
      assertThat(issued.result().bodyAsJsonObject().getJsonObject("error").getString("message"))
          .startsWith("cannot check the token: the database is unreachable (").contains("127.0.0.1:1");
      assertThat(admin.result().statusCode()).isEqualTo(200);
      test.completeNow();
    })));
  }

  @Test
  void a_port_already_in_use_fails_the_deployment(Vertx vertx, VertxTestContext test) {
    ReboundConfig samePort = ReboundConfig.from(Map.of(
        "DATABASE_URL", "postgresql://rebound:rebound-local-pw@127.0.0.1:1/rebound",
        "REBOUND_HTTP_PORT", Integer.toString(server.actualPort())));
    HttpServerVerticle second = HttpServerVerticle.builder(samePort, Database.create(vertx, samePort.database())).build();
    vertx.deployVerticle(second).onComplete(test.failing(e -> test.verify(() -> {
      assertThat(e).hasMessageContaining("Address already in use");
      test.completeNow();
    })));
  }
}
