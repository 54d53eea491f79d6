package dev.rebound.slack;

import static java.util.concurrent.TimeUnit.SECONDS;

import com.slack.api.app_backend.SlackSignature;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Requests as Slack sends them: form-encoded commands and interactions, JSON events, each signed
 * with the SDK's own generator (not our verifier's code) over the exact bytes sent.
 */
final class SignedRequests {
  static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final String CHANNEL = "C0INCIDENT";

  private final WebClient client;
  private final SlackSignature.Generator generator;

  SignedRequests(Vertx vertx, int port, String secret) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.generator = new SlackSignature.Generator(secret);
  }

  void close() {
    client.close();
  }

  /** A signed request: body, timestamp and the headers Slack sends. */
  record Signed(String path, String contentType, String body, String timestamp, String signature,
      Map<String, String> extraHeaders) {
    Signed withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(extraHeaders);
      h.put(name, value);
      return new Signed(path, contentType, body, timestamp, signature, h);
    }

    Signed withSignature(String forged) {
      return new Signed(path, contentType, body, timestamp, forged, extraHeaders);
    }
  }

  Signed sign(String path, String contentType, String body, Instant at) {
    String ts = String.valueOf(at.getEpochSecond());
    return new Signed(path, contentType, body, ts, generator.generate(ts, body), Map.of());
  }

  Signed command(String user, String text, String triggerId, Instant at) {
    return command(CHANNEL, user, text, triggerId, at);
  }

  Signed command(String channel, String user, String text, String triggerId, Instant at) {
    return sign("/slack/commands", "application/x-www-form-urlencoded", form(fields(
        "token", "legacy-verification-token", "team_id", "T0TEAM", "team_domain", "acme", "channel_id", channel,
        "channel_name", "incidents", "user_id", user, "user_name", user.toLowerCase(), "command", "/rebound",
        "text", text, "response_url", "https://hooks.slack.invalid/commands/T0TEAM/1/abc", "trigger_id", triggerId)),
        at);
  }

  /** A button press on the message {@code messageTs} (in the thread {@code threadTs}, when not null). */
  Signed press(String user, String actionId, String value, String messageTs, String threadTs, Instant at) {
    return press(CHANNEL, user, actionId, value, messageTs, threadTs, at);
  }

  Signed press(String channel, String user, String actionId, String value, String messageTs, String threadTs,
      Instant at) {
    JsonObject container = new JsonObject().put("type", "message").put("message_ts", messageTs)
        .put("channel_id", channel).put("is_ephemeral", false);
    if (threadTs != null) {
      container.put("thread_ts", threadTs);
    }
    JsonObject payload = new JsonObject().put("type", "block_actions")
        .put("user", new JsonObject().put("id", user).put("username", user.toLowerCase()).put("team_id", "T0TEAM"))
        .put("api_app_id", "A0REBOUND").put("token", "legacy-verification-token")
        .put("container", container).put("trigger_id", "13345224609.738474920.8088930838d88f008e0")
        .put("team", new JsonObject().put("id", "T0TEAM").put("domain", "acme"))
        .put("channel", new JsonObject().put("id", channel).put("name", "incidents"))
        .put("message", new JsonObject().put("type", "message").put("ts", messageTs))
        .put("response_url", "https://hooks.slack.invalid/actions/T0TEAM/1/xyz")
        .put("actions", new JsonArray().add(new JsonObject().put("action_id", actionId).put("block_id", "b")
            .put("type", "button").put("value", value).put("action_ts", at.getEpochSecond() + "."
                + SlackFake.uniqueSuffix())));
    return sign("/slack/interactions", "application/x-www-form-urlencoded", form(Map.of("payload",
        payload.encode())), at);
  }

  /** A submission of the parameter form Rebound opened: {@code values} by input (block id). */
  Signed submission(String user, String metadata, Map<String, String> values, String viewHash, Instant at) {
    return submission(user, "rebound_start_run_params", metadata, values, viewHash, at);
  }

  /** A submission of the form {@code callbackId} Rebound opened: {@code values} by input (block id). */
  Signed submission(String user, String callbackId, String metadata, Map<String, String> values, String viewHash,
      Instant at) {
    return submission(user, callbackId, metadata, values, Map.of(), viewHash, at);
  }

  /** As above, with {@code picked}: the option chosen in a menu (static_select), by input (block id). */
  Signed submission(String user, String callbackId, String metadata, Map<String, String> values,
      Map<String, String> picked, String viewHash, Instant at) {
    JsonObject state = new JsonObject();
    values.forEach((block, value) -> state.put(block, new JsonObject().put("value",
        new JsonObject().put("type", "plain_text_input").put("value", value))));
    picked.forEach((block, value) -> state.put(block, new JsonObject().put("value",
        new JsonObject().put("type", "static_select").put("selected_option", new JsonObject()
            .put("text", new JsonObject().put("type", "plain_text").put("text", value)).put("value", value)))));
    JsonObject view = new JsonObject().put("id", "V0PARAMS").put("team_id", "T0TEAM").put("type", "modal")
        .put("callback_id", callbackId).put("private_metadata", metadata).put("hash", viewHash)
        .put("title", new JsonObject().put("type", "plain_text").put("text", "Start run"))
        .put("state", new JsonObject().put("values", state));
    JsonObject payload = new JsonObject().put("type", "view_submission")
        .put("team", new JsonObject().put("id", "T0TEAM").put("domain", "acme"))
        .put("user", new JsonObject().put("id", user).put("username", user.toLowerCase()).put("team_id", "T0TEAM"))
        .put("api_app_id", "A0REBOUND").put("token", "legacy-verification-token")
        .put("trigger_id", "13345224609.738474920.submission").put("view", view)
        .put("response_urls", new JsonArray());
    return sign("/slack/interactions", "application/x-www-form-urlencoded", form(Map.of("payload",
        payload.encode())), at);
  }

  Signed mention(String user, String text, String threadTs, String eventId, Instant at) {
    JsonObject event = new JsonObject().put("type", "app_mention").put("user", user).put("text", text)
        .put("ts", at.getEpochSecond() + ".000200").put("channel", CHANNEL).put("event_ts", at.getEpochSecond()
            + ".000200");
    if (threadTs != null) {
      event.put("thread_ts", threadTs);
    }
    JsonObject body = new JsonObject().put("token", "legacy-verification-token").put("team_id", "T0TEAM")
        .put("api_app_id", "A0REBOUND").put("event", event).put("type", "event_callback").put("event_id", eventId)
        .put("event_time", at.getEpochSecond());
    return sign("/slack/events", "application/json", body.encode(), at);
  }

  HttpResponse<Buffer> send(Signed s) throws Exception {
    HttpRequest<Buffer> request = client.post(s.path()).putHeader("Content-Type", s.contentType())
        .putHeader("X-Slack-Request-Timestamp", s.timestamp()).putHeader("X-Slack-Signature", s.signature());
    s.extraHeaders().forEach(request::putHeader);
    return request.sendBuffer(Buffer.buffer(s.body())).await(30, SECONDS);
  }

  private static Map<String, String> fields(String... keysAndValues) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      out.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }

  /** In the order given, as Slack sends them. */
  static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
