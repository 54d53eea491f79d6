package dev.rebound.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * WireMock playing Slack's Web API (chat.postMessage, chat.update, chat.postEphemeral, views.open) as Slack
 * answers them, each message with its own ts; and readers for what Rebound sent (the SDK sends
 * form-encoded bodies with {@code blocks} as a JSON string).
 */
final class SlackFake {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEQ = new AtomicLong(100);

  final WireMockServer server = new WireMockServer(options().dynamicPort().globalTemplating(true));

  /** A call Rebound made: the method, its form fields ({@code blocks} parsed), and when it came. */
  record Call(String method, Map<String, String> form, Instant at) {
    String field(String name) {
      return form.get(name);
    }

    JsonNode blocks() {
      try {
        return form.containsKey("blocks") ? JSON.readTree(form.get("blocks")) : JSON.createArrayNode();
      } catch (java.io.IOException e) {
        throw new AssertionError("blocks sent are not JSON: " + form.get("blocks"), e);
      }
    }
  }

  void start() {
    server.start();
    server.stubFor(post("/api/chat.postMessage").atPriority(5).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"ok\": true, \"channel\": \"C0INCIDENT\","
            + " \"ts\": \"1760000000.{{randomValue length=6 type='NUMERIC'}}\"}")));
    server.stubFor(post("/api/chat.update").atPriority(5).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"ok\": true}")));
    server.stubFor(post("/api/chat.postEphemeral").atPriority(5).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"ok\": true, \"message_ts\": \"1760000000.000001\"}")));
    server.stubFor(post("/api/views.open").atPriority(5).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"ok\": true, \"view\": {\"id\": \"V0PARAMS\","
            + " \"type\": \"modal\", \"hash\": \"1760000000.abcd\"}}")));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  List<Call> calls(String method) {
    return server.findAll(postRequestedFor(urlEqualTo("/api/" + method))).stream()
        .map(r -> new Call(method, form(r), r.getLoggedDate().toInstant())).toList();
  }

  List<Call> calls(String method, Predicate<Call> which) {
    return calls(method).stream().filter(which).toList();
  }

  /** Waits until {@code count} calls match, then returns them. */
  List<Call> await(String method, Predicate<Call> which, int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      List<Call> found = calls(method, which);
      if (found.size() >= count) {
        return found;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("expected " + count + " " + method + " call(s) matching; got " + found.size()
            + "; texts of all " + method + " calls: " + calls(method).stream().map(c -> c.field("text")).toList());
      }
      Thread.sleep(50);
    }
  }

  Call awaitOne(String method, Predicate<Call> which) throws InterruptedException {
    return await(method, which, 1).get(0);
  }

  static long uniqueSuffix() {
    return SEQ.incrementAndGet();
  }

  private static Map<String, String> form(LoggedRequest r) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : r.getBodyAsString().split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
