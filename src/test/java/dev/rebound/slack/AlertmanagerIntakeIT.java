package dev.rebound.slack;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.db.TokenStore;
import dev.rebound.inventory.Role;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Alertmanager intake: a firing group opens one incident with suggestions (posted to Slack), a
 * repeat changes nothing, resolved alerts are noted in the thread, and bad payloads are refused.
 */
class AlertmanagerIntakeIT extends SlackServiceFixture {
  @Test
  void alertmanager_groups_open_one_incident_with_suggestions_and_resolved_alerts_are_noted() throws Exception {
    String token = webhookToken();
    String viewer = new TokenStore(running.database().pool()).issue("grace", Role.VIEWER, "t").await(10, SECONDS)
        .token();
    JsonObject firing = alertmanager("firing", "firing");
    assertThat(postAlert(firing, null).statusCode()).isEqualTo(401);
    assertThat(postAlert(firing, viewer).statusCode()).isEqualTo(403);

    HttpResponse<Buffer> created = postAlert(firing, token);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject body = created.bodyAsJsonObject();
    String incident = body.getString("incident_id");
    assertThat(body.getString("result")).isEqualTo("created");
    assertThat(body.getJsonArray("assets")).containsExactly("cache.prices");
    assertThat(body.getString("assets_from")).isEqualTo("incident");
    assertThat(body.getJsonArray("downstream")).containsExactly("api.prices");
    JsonArray similar = body.getJsonObject("suggestions").getJsonArray("similar_incidents");
    assertThat(similar).hasSize(3);
    assertThat(similar.getJsonObject(0).getString("id")).isIn("INC-2025-001", "INC-2025-002");
    assertThat(body.getJsonObject("suggestions").getJsonArray("suggested_runbooks").getJsonObject(0).getString("id"))
        .isEqualTo("cache-restore");
    JsonNode stored = getJson("/api/incidents/" + incident);
    assertThat(stored.path("title").asText()).isEqualTo("Price cache is serving stale prices");
    assertThat(stored.path("severity").asText()).isEqualTo("sev2");
    assertThat(stored.path("detected_by").asText()).isEqualTo("alert");
    assertThat(stored.path("symptoms").toString()).contains("PriceCacheStale", "PriceApiErrors");

    SlackFake.Call posted = slack.awaitOne("chat.postMessage",
        c -> c.field("text").equals("Incident " + incident + ": Price cache is serving stale prices"));
    assertThat(posted.field("channel")).isEqualTo("#incidents");
    String ts = postedTs("incident:" + incident);

    // A person reports the same problem while the alert's incident is open: told it may be the same.
    assertThat(requests.send(requests.command(DMITRI, "price cache stale after the failover", "trig-twice",
        java.time.Instant.now())).statusCode()).isEqualTo(200);
    String similarBlock = slack.awaitOne("chat.postMessage",
        c -> c.field("text").endsWith(": price cache stale after the failover")).blocks().get(2).path("text")
        .path("text").asText();
    assertThat(similarBlock.substring(similarBlock.indexOf("*" + incident + "* Price cache is serving stale prices")))
        .contains("\n    :warning: _open now: possibly the same problem_");

    HttpResponse<Buffer> again = postAlert(firing, token);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getString("incident_id")).isEqualTo(incident);
    assertThat(again.bodyAsJsonObject().getString("result")).isEqualTo("unchanged");

    HttpResponse<Buffer> resolved = postAlert(alertmanager("firing", "resolved"), token);
    assertThat(resolved.statusCode()).isEqualTo(200);
    assertThat(resolved.bodyAsJsonObject().getJsonArray("resolved")).containsExactly("PriceApiErrors");
    assertThat(resolved.bodyAsJsonObject().getString("incident_id")).isEqualTo(incident);

    slack.awaitOne("chat.postMessage", c -> ts.equals(c.field("thread_ts"))
        && c.field("text").equals(":large_green_circle: Resolved: PriceApiErrors"));
    assertThat(slack.calls("chat.postMessage", c -> c.field("text").startsWith("Incident " + incident))).hasSize(1);
    assertThat(incidentsTitled("Price cache is serving stale prices")).isEqualTo(1);

    HttpResponse<Buffer> bad = postAlert(new JsonObject().put("version", "4").put("alerts", new JsonArray()), token);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsString()).contains("groupKey: required", "alerts: expected a non-empty array");
  }

  @Test
  void a_group_firing_again_after_its_incident_was_resolved_opens_a_new_incident() throws Exception {
    String token = webhookToken();
    String group = "{}:{service=\"prices-again\"}";
    String summary = "Price cache stale again";
    HttpResponse<Buffer> first = postAlert(alertmanager(group, summary, "firing", "firing"), token);
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    String incident = first.bodyAsJsonObject().getString("incident_id");
    assertThat(postAlert(alertmanager(group, summary, "resolved", "resolved"), token).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> resolve = api.post("/api/incidents/" + incident + "/resolve").bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject().put("root_cause", "cache eviction stalled").put("resolution", "restarted"))
        .await(30, SECONDS);
    assertThat(resolve.statusCode()).as(resolve.bodyAsString()).isEqualTo(200);

    HttpResponse<Buffer> again = postAlert(alertmanager(group, summary, "firing", "resolved"), token);
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(201);
    String next = again.bodyAsJsonObject().getString("incident_id");
    assertThat(next).isNotEqualTo(incident);
    assertThat(again.bodyAsJsonObject().getString("previous_incident_id")).isEqualTo(incident);
    assertThat(getJson("/api/incidents/" + next).path("body").asText()).contains("after its incident " + incident);
    assertThat(getJson("/api/incidents/" + incident).path("status").asText()).isEqualTo("resolved");

    HttpResponse<Buffer> repeat = postAlert(alertmanager(group, summary, "firing", "resolved"), token);
    assertThat(repeat.bodyAsJsonObject().getString("incident_id")).isEqualTo(next);
    assertThat(repeat.bodyAsJsonObject().getString("result")).isEqualTo("unchanged");
    assertThat(incidentsTitled(summary)).isEqualTo(2);
  }

  /**
   * Alerts without an asset label: the incident names no asset, so the assets shown are the ones
   * the suggested runbook acts on, and both the answer and the Slack message say so.
   */
  @Test
  void alerts_naming_no_asset_show_the_suggested_runbooks_assets_as_such() throws Exception {
    String token = webhookToken();
    String summary = "Price cache unlabelled";
    JsonObject firing = alertmanager("{}:{service=\"prices-unlabelled\"}", summary, "firing", "firing");
    for (int i = 0; i < 2; i++) {
      firing.getJsonArray("alerts").getJsonObject(i).getJsonObject("labels").remove("asset");
    }
    HttpResponse<Buffer> created = postAlert(firing, token);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String incident = created.bodyAsJsonObject().getString("incident_id");
    assertThat(created.bodyAsJsonObject().getJsonArray("assets")).containsExactly("cache.prices");
    assertThat(created.bodyAsJsonObject().getString("assets_from")).isEqualTo("suggested_runbook");
    assertThat(getJson("/api/incidents/" + incident).path("assets").toString()).isEqualTo("[]");
    SlackFake.Call posted = slack.awaitOne("chat.postMessage",
        c -> c.field("text").equals("Incident " + incident + ": " + summary));
    assertThat(posted.blocks().get(1).path("text").path("text").asText()).isEqualTo("*Affected assets:* none named"
        + " yet\n*Assets the suggested runbook acts on:* `cache.prices`\n*Impact, if those are down:* downstream"
        + " `api.prices`\n*Tightest RTO, if so:* 15m (api.prices)");
  }

  @Test
  void an_asset_label_naming_no_known_asset_is_reported_not_dropped() throws Exception {
    String token = webhookToken();
    JsonObject firing = alertmanager("{}:{service=\"prices-typo\"}", "Price cache typo", "firing", "firing");
    firing.getJsonArray("alerts").getJsonObject(1).getJsonObject("labels").put("asset", "cache.prics");
    HttpResponse<Buffer> created = postAlert(firing, token);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getJsonArray("unknown_assets")).containsExactly("cache.prics");
    assertThat(created.bodyAsJsonObject().getString("note")).contains("not in knowledge/assets.yaml");
    JsonNode stored = getJson("/api/incidents/" + created.bodyAsJsonObject().getString("incident_id"));
    assertThat(stored.path("assets").toString()).isEqualTo("[\"cache.prices\"]");
    assertThat(stored.path("body").asText()).contains("Not known assets: cache.prics");
  }

  @Test
  void a_claim_left_by_an_instance_that_stopped_before_opening_the_incident_is_taken_over() throws Exception {
    String token = webhookToken();
    String fresh = "{}:{service=\"prices-claimed-now\"}";
    String stale = "{}:{service=\"prices-claim-stopped\"}";
    db.execute("insert into alert_groups (group_key, incident_id) values ('" + fresh + "', 'opening')");
    db.execute("insert into alert_groups (group_key, incident_id, updated_at) values ('" + stale + "', 'opening',"
        + " now() - interval '10 minutes')");

    HttpResponse<Buffer> whileOpening = postAlert(alertmanager(fresh, "Price cache claimed", "firing", "firing"), token);
    HttpResponse<Buffer> afterAStop = postAlert(alertmanager(stale, "Price cache stopped", "firing", "firing"), token);

    assertThat(whileOpening.statusCode()).as(whileOpening.bodyAsString()).isEqualTo(202);
    assertThat(afterAStop.statusCode()).as(afterAStop.bodyAsString()).isEqualTo(201);
    String incident = afterAStop.bodyAsJsonObject().getString("incident_id");
    assertThat(db.rows("select incident_id from alert_groups where group_key = '" + stale + "'"))
        .containsExactly(incident);
    assertThat(postAlert(alertmanager(stale, "Price cache stopped", "firing", "firing"), token).statusCode())
        .as("a repeat of the group now updates its incident").isEqualTo(200);
  }

  /** A token for Alertmanager's webhook, as `rebound tokens issue alertmanager` gives one. */
  private static String webhookToken() throws Exception {
    return new TokenStore(running.database().pool()).issue("alertmanager", Role.RESPONDER, "webhook")
        .await(10, SECONDS).token();
  }

  private static JsonObject alertmanager(String stale, String errors) {
    return alertmanager("{}:{service=\"prices\"}", "Price cache is serving stale prices", stale, errors);
  }

  private static JsonObject alertmanager(String groupKey, String summary, String stale, String errors) {
    JsonObject labels = new JsonObject().put("severity", "error").put("asset", "cache.prices");
    return new JsonObject().put("version", "4").put("groupKey", groupKey).put("status",
            stale.equals("firing") || errors.equals("firing") ? "firing" : "resolved")
        .put("receiver", "rebound").put("groupLabels", new JsonObject().put("service", "prices"))
        .put("commonLabels", new JsonObject().put("service", "prices").put("severity", "error"))
        .put("commonAnnotations", new JsonObject().put("summary", summary))
        .put("externalURL", "http://alertmanager.example.test:9093")
        .put("alerts", new JsonArray()
            .add(new JsonObject().put("status", stale).put("fingerprint", "a1b2c3d4e5f60718")
                .put("labels", labels.copy().put("alertname", "PriceCacheStale"))
                .put("annotations", new JsonObject().put("description", "cache age 42m > 10m"))
                .put("startsAt", "2026-01-05T10:00:00.123456789Z").put("endsAt", "0001-01-01T00:00:00Z"))
            .add(new JsonObject().put("status", errors).put("fingerprint", "0f1e2d3c4b5a6978")
                .put("labels", labels.copy().put("alertname", "PriceApiErrors"))
                .put("annotations", new JsonObject().put("description", "5xx at 4%"))
                .put("startsAt", "2026-01-05T10:01:00Z")));
  }

  private static HttpResponse<Buffer> postAlert(JsonObject body, String token) throws Exception {
    var request = api.post("/api/alerts/alertmanager");
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.sendJsonObject(body).await(30, SECONDS);
  }
}
