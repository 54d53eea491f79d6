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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Without SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN: Slack's URLs say so, alerts still open incidents. */
@ExtendWith(VertxExtension.class)
class SlackRoutesDisabledIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  static ServiceUnderTest service;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path tempDir) throws Exception {
    service = ServiceUnderTest.start(vertx, db, tempDir);
  }

  @AfterAll
  static void stop() throws Exception {
    service.stop();
  }

  @Test
  void slack_urls_answer_503_naming_the_two_variables() throws Exception {
    for (String path : new String[] {"/slack/commands", "/slack/interactions", "/slack/events"}) {
      HttpResponse<Buffer> res = service.post(path, null, new JsonObject().put("type", "url_verification"));
      assertThat(res.statusCode()).as(path).isEqualTo(503);
      assertThat(res.bodyAsJsonObject().getJsonObject("error").getString("message")).as(path)
          .isEqualTo("Slack is not configured on this server: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (see README,"
              + " Slack)");
    }
  }

  @Test
  void alertmanager_still_opens_an_incident_without_slack() throws Exception {
    String token = service.token("alertmanager", Role.RESPONDER);
    JsonObject alert = new JsonObject().put("status", "firing").put("fingerprint", "f00d")
        .put("labels", new JsonObject().put("alertname", "FeatureStoreStale").put("asset", "features.online"));
    HttpResponse<Buffer> res = service.post("/api/alerts/alertmanager", token, new JsonObject().put("version", "4")
        .put("groupKey", "{}:{alertname=\"FeatureStoreStale\"}").put("status", "firing").put("receiver", "rebound")
        .put("alerts", new JsonArray().add(alert)));
    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(201);
    String incident = res.bodyAsJsonObject().getString("incident_id");
    assertThat(res.bodyAsJsonObject().getJsonArray("assets")).containsExactly("features.online");
    HttpResponse<Buffer> stored = service.get("/api/incidents/" + incident, token);
    assertThat(stored.bodyAsJsonObject().getString("title")).isEqualTo("FeatureStoreStale");
    assertThat(stored.bodyAsJsonObject().getJsonArray("symptoms")).containsExactly("FeatureStoreStale");
  }
}
