package dev.rebound.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One scenario folder, top to bottom: reports its incident, plays its steps (chat, approve,
 * wait, restart, any GET or POST) against the service, then checks the scenario's final
 * expectations and the loop's invariants ({@link ScenarioChecks}).
 */
final class ScenarioRun {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final ScenarioService service;
  private final JsonNode scenario;
  private final ScenarioChecks checks;
  private final List<JsonNode> modelRequests = new ArrayList<>();
  private final List<String> answers = new ArrayList<>();
  private String runId;

  ScenarioRun(Path dir, ScenarioService service, TestDatabase db) throws IOException {
    this.dir = dir;
    this.service = service;
    this.scenario = YAML.readTree(dir.resolve("scenario.yaml").toFile());
    this.checks = new ScenarioChecks(db, service.target, scenario.path("incident").path("id").asText(),
        this::substitute);
  }

  void run() throws Exception {
    boolean withModel = !"none".equals(scenario.path("model").asText());
    if (service.withModel() != withModel) {
      service.restart(withModel);
    }
    service.target.resetAll();
    service.target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
    service.target.stubFor(get(urlEqualTo("/admin/ingest/status")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"paused\":false}")));
    service.model.resetAll();
    ObjectNode body = (ObjectNode) scenario.path("incident").deepCopy();
    HttpResponse<Buffer> created = service.post("/api/incidents", "dmitri", new JsonObject(JSON.writeValueAsString(body)));
    assertThat(created.statusCode()).as("incident created: " + created.bodyAsString()).isEqualTo(201);

    int n = 0;
    for (JsonNode step : scenario.path("steps")) {
      step(++n, step);
    }
    String end = dir.getFileName() + " (end)";
    checks.finalChecks(end, scenario.path("expect"), runId, this::runView);
    checks.invariants(dir.getFileName() + " (invariants)", modelRequests, answers);
  }

  private void step(int n, JsonNode step) throws Exception {
    String what = dir.getFileName() + " step " + n;
    if (step.has("chat")) {
      chat(what, step);
    } else if (step.has("approve")) {
      approve(what, step);
    } else if (step.has("wait_for")) {
      waitFor(what, step.get("wait_for"));
    } else if (step.has("targets")) {
      checks.targets(what, step.get("targets"));
    } else if (step.has("run")) {
      JsonExpect.check(what + " run", runView(), substitute(step.get("run")));
    } else if (step.has("sleep_ms")) {
      Thread.sleep(step.get("sleep_ms").asLong());
    } else if (step.has("restart")) {
      service.restart(step.path("restart").path("model").asBoolean(true));
    } else if (step.has("get") || step.has("post")) {
      request(what, step);
    } else {
      fail(what + ": unknown step " + step);
    }
  }

  private void chat(String what, JsonNode step) throws Exception {
    ModelScript.install(service.model, step.get("model"));
    JsonObject req = new JsonObject().put("incident_id", step.path("incident_id").asText(checks.incident()))
        .put("message", message(step));
    HttpResponse<Buffer> res = service.post("/api/chat", step.path("as").asText("dmitri"), req);
    JsonNode expect = step.path("expect");
    List<JsonNode> requests = answered(what, res, expect, reply -> trackRun(reply));
    for (JsonNode r : expect.path("requests")) {
      checks.request(what, requests, r);
    }
    checks.targets(what, expect.path("targets"));
  }

  /**
   * Checks an answer of the service against {@code expect} (status, json, model_requests), after
   * {@code track} saw it; returns the requests the model received meanwhile.
   */
  private List<JsonNode> answered(String what, HttpResponse<Buffer> res, JsonNode expect,
      java.util.function.Consumer<JsonNode> track) throws IOException {
    answers.add(res.bodyAsString());
    List<JsonNode> requests = collectModelRequests();
    assertThat(res.statusCode()).as(what + ": " + shorten(res.bodyAsString()))
        .isEqualTo(expect.path("status").asInt(200));
    JsonNode reply = json(res);
    track.accept(reply);
    JsonExpect.check(what, reply, substitute(expect.path("json")));
    if (expect.has("model_requests")) {
      assertThat(requests).as(what + " model requests").hasSize(expect.get("model_requests").asInt());
    }
    return requests;
  }

  private void approve(String what, JsonNode step) throws Exception {
    String stepId = step.get("approve").asText();
    String hash = JsonExpect.at(runView(), "awaiting.action_hash").asText();
    HttpResponse<Buffer> res = service.post("/api/runs/" + runId + "/steps/" + stepId + "/approve",
        step.path("as").asText("bruno"), new JsonObject().put("action_hash", hash));
    answers.add(res.bodyAsString());
    assertThat(res.statusCode()).as(what + ": " + res.bodyAsString())
        .isEqualTo(step.path("expect").path("status").asInt(200));
    JsonExpect.check(what, json(res), substitute(step.path("expect").path("json")));
  }

  private void request(String what, JsonNode step) throws Exception {
    ModelScript.install(service.model, step.get("model"));
    String path = substitute(step.has("get") ? step.get("get").asText() : step.get("post").asText());
    String as = step.path("as").asText("dmitri");
    HttpResponse<Buffer> res = step.has("get") ? service.get(path, as)
        : service.post(path, as, new JsonObject(JSON.writeValueAsString(step.path("body"))));
    answered(what, res, step.path("expect"), reply -> {
      if (runId == null && step.has("post") && path.equals("/api/runs")) {
        runId = reply.path("id").asText(null);
      }
    });
  }

  private String message(JsonNode step) {
    JsonNode chat = step.get("chat");
    if (chat.isObject() && chat.has("repeat")) {
      return chat.path("text").asText().repeat(chat.path("repeat").asInt());
    }
    return chat.asText();
  }

  private void trackRun(JsonNode reply) {
    for (JsonNode p : reply.path("pending_approvals")) {
      runId = p.path("run_id").asText();
    }
    for (JsonNode c : reply.path("tool_calls")) {
      if (c.hasNonNull("run_id")) {
        runId = c.get("run_id").asText();
      }
    }
  }

  private List<JsonNode> collectModelRequests() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (LoggedRequest r : service.model.findAll(postRequestedFor(urlEqualTo(ModelScript.PATH)))) {
      out.add(JSON.readTree(r.getBodyAsString()));
    }
    modelRequests.addAll(out);
    return out;
  }

  private JsonNode runView() throws Exception {
    assertThat(runId).as(dir.getFileName() + ": a run was created").isNotNull();
    return json(service.get("/api/runs/" + runId, "grace"));
  }

  private void waitFor(String what, JsonNode w) throws Exception {
    long deadline = System.currentTimeMillis() + w.path("timeout_ms").asLong(15_000);
    JsonNode view = null;
    while (System.currentTimeMillis() < deadline) {
      view = runView();
      if (JsonExpect.matches(view, substitute(w.path("json")))) {
        return;
      }
      Thread.sleep(100);
    }
    fail(what + ": run " + runId + " never matched " + w.path("json") + ": " + shorten(String.valueOf(view)));
  }

  private JsonNode substitute(JsonNode node) throws IOException {
    if (node == null || node.isMissingNode()) {
      return node;
    }
    return JSON.readTree(substitute(JSON.writeValueAsString(node)));
  }

  private String substitute(String text) {
    return text.replace("{incident}", checks.incident()).replace("{run}", runId == null ? "{run}" : runId);
  }

  static JsonNode json(HttpResponse<Buffer> res) throws IOException {
    String body = res.bodyAsString();
    return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
  }

  static String shorten(String s) {
    return s == null ? "" : s.length() > 3000 ? s.substring(0, 3000) + "…" : s;
  }
}
