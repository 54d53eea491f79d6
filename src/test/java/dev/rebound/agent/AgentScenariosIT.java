package dev.rebound.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real agent loop, in the real service, against a scripted model (WireMock speaking
 * the OpenAI protocol) and a target system (WireMock), one scenario per folder of
 * {@code src/test/resources/agent-scenarios}: add a scenario by adding a folder with a
 * {@code scenario.yaml} (format in that folder's README.md).
 *
 * <p>Besides each scenario's own expectations, every scenario checks the invariants of the loop
 * on every request the model received: each {@code tool_call_id} was answered by a tool result
 * before the next message; no tool named run, execute, approve or skip was ever offered; and the
 * fixture's secrets (an env value and the model API key) never reached the model, the API's
 * answers or the audit log.
 */
class AgentScenariosIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @TempDir static Path tempDir;

  static final Path SCENARIOS = ScenarioService.BASE.resolve("src/test/resources/agent-scenarios");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  private static Vertx vertx;
  private static WireMockServer model;
  private static WireMockServer target;
  private static ScenarioService service;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    model = new WireMockServer(options().dynamicPort());
    target = new WireMockServer(options().dynamicPort());
    model.start();
    target.start();
    service = new ScenarioService(vertx, db, tempDir, model, target);
    service.start(true);
    service.approveRunbook("feature-store-restore");
    long deadline = System.currentTimeMillis() + 180_000;
    while (!"fresh".equals(JsonExpect.at(json(service.get("/health/ready", null)), "details.retrieval.index").asText())) {
      if (System.currentTimeMillis() > deadline) {
        fail("the retrieval index was not built: " + service.get("/health/ready", null).bodyAsString());
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.stop();
    }
    model.stop();
    target.stop();
    vertx.close().await();
  }

  @TestFactory
  Stream<DynamicTest> scenarios() throws IOException {
    try (Stream<Path> dirs = Files.list(SCENARIOS)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("scenario.yaml"))).sorted().toList().stream()
          .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> new Run(dir).run()));
    }
  }

  /** One scenario, top to bottom. */
  private static final class Run {
    final Path dir;
    final JsonNode scenario;
    final String incident;
    final List<JsonNode> modelRequests = new ArrayList<>();
    final List<String> answers = new ArrayList<>();
    String runId;

    Run(Path dir) throws IOException {
      this.dir = dir;
      this.scenario = YAML.readTree(dir.resolve("scenario.yaml").toFile());
      this.incident = scenario.path("incident").path("id").asText();
    }

    void run() throws Exception {
      boolean withModel = !"none".equals(scenario.path("model").asText());
      if (service.withModel() != withModel) {
        service.restart(withModel);
      }
      target.resetAll();
      target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
      target.stubFor(get(urlEqualTo("/admin/ingest/status")).willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json").withBody("{\"paused\":false}")));
      model.resetAll();
      ObjectNode body = (ObjectNode) scenario.path("incident").deepCopy();
      HttpResponse<Buffer> created = service.post("/api/incidents", "dmitri", new JsonObject(JSON.writeValueAsString(body)));
      assertThat(created.statusCode()).as("incident created: " + created.bodyAsString()).isEqualTo(201);

      int n = 0;
      for (JsonNode step : scenario.path("steps")) {
        step(++n, step);
      }
      finalChecks(scenario.path("expect"));
      invariants();
    }

    private void step(int n, JsonNode step) throws Exception {
      String what = dir.getFileName() + " step " + n;
      if (step.has("chat")) {
        ModelScript.install(model, step.get("model"));
        String as = step.path("as").asText("dmitri");
        JsonObject req = new JsonObject().put("incident_id", step.path("incident_id").asText(incident))
            .put("message", message(step));
        HttpResponse<Buffer> res = service.post("/api/chat", as, req);
        answers.add(res.bodyAsString());
        List<JsonNode> requests = collectModelRequests();
        JsonNode expect = step.path("expect");
        assertThat(res.statusCode()).as(what + ": " + shorten(res.bodyAsString()))
            .isEqualTo(expect.path("status").asInt(200));
        JsonNode reply = json(res);
        trackRun(reply);
        JsonExpect.check(what, reply, substitute(expect.path("json")));
        if (expect.has("model_requests")) {
          assertThat(requests).as(what + " model requests").hasSize(expect.get("model_requests").asInt());
        }
        for (JsonNode r : expect.path("requests")) {
          checkRequest(what, requests, r);
        }
        checkTargets(what, expect.path("targets"));
      } else if (step.has("approve")) {
        String stepId = step.get("approve").asText();
        JsonNode view = json(service.get("/api/runs/" + runId, "grace"));
        String hash = JsonExpect.at(view, "awaiting.action_hash").asText();
        HttpResponse<Buffer> res = service.post("/api/runs/" + runId + "/steps/" + stepId + "/approve",
            step.path("as").asText("bruno"), new JsonObject().put("action_hash", hash));
        answers.add(res.bodyAsString());
        assertThat(res.statusCode()).as(what + ": " + res.bodyAsString())
            .isEqualTo(step.path("expect").path("status").asInt(200));
        JsonExpect.check(what, json(res), substitute(step.path("expect").path("json")));
      } else if (step.has("wait_for")) {
        waitFor(what, step.get("wait_for"));
      } else if (step.has("targets")) {
        checkTargets(what, step.get("targets"));
      } else if (step.has("run")) {
        JsonExpect.check(what + " run", json(service.get("/api/runs/" + runId, "grace")), substitute(step.get("run")));
      } else if (step.has("sleep_ms")) {
        Thread.sleep(step.get("sleep_ms").asLong());
      } else if (step.has("restart")) {
        service.restart(step.path("restart").path("model").asBoolean(true));
      } else if (step.has("get") || step.has("post")) {
        ModelScript.install(model, step.get("model"));
        String path = substitute(step.has("get") ? step.get("get").asText() : step.get("post").asText());
        String as = step.path("as").asText("dmitri");
        HttpResponse<Buffer> res = step.has("get") ? service.get(path, as)
            : service.post(path, as, new JsonObject(JSON.writeValueAsString(step.path("body"))));
        answers.add(res.bodyAsString());
        List<JsonNode> requests = collectModelRequests();
        JsonNode expect = step.path("expect");
        assertThat(res.statusCode()).as(what + ": " + shorten(res.bodyAsString()))
            .isEqualTo(expect.path("status").asInt(200));
        JsonExpect.check(what, json(res), substitute(expect.path("json")));
        if (expect.has("model_requests")) {
          assertThat(requests).as(what + " model requests").hasSize(expect.get("model_requests").asInt());
        }
      } else {
        fail(what + ": unknown step " + step);
      }
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
      for (LoggedRequest r : model.findAll(postRequestedFor(urlEqualTo(ModelScript.PATH)))) {
        out.add(JSON.readTree(r.getBodyAsString()));
      }
      modelRequests.addAll(out);
      return out;
    }

    /** {@code {index: 2, tools_include: [...], tools_exclude: [...], contains: [...], not_contains: [...]}} */
    private void checkRequest(String what, List<JsonNode> requests, JsonNode r) {
      int index = r.path("index").asInt(1);
      assertThat(requests.size()).as(what + " has model request " + index).isGreaterThanOrEqualTo(index);
      JsonNode request = requests.get(index - 1);
      Set<String> tools = new HashSet<>();
      request.path("tools").forEach(t -> tools.add(t.path("function").path("name").asText()));
      r.path("tools_include").forEach(t -> assertThat(tools).as(what + " request " + index + " offers").contains(t.asText()));
      r.path("tools_exclude").forEach(t -> assertThat(tools).as(what + " request " + index + " offers")
          .doesNotContain(t.asText()));
      for (JsonNode t : r.path("tools_exclude_prefix")) {
        assertThat(tools).as(what + " request " + index + " offers").noneMatch(name -> name.startsWith(t.asText()));
      }
      String text = request.toString();
      r.path("contains").forEach(s -> assertThat(text).as(what + " request " + index).contains(substitute(s.asText())));
      r.path("not_contains").forEach(s -> assertThat(text).as(what + " request " + index)
          .doesNotContain(substitute(s.asText())));
      JsonExpect.check(what + " request " + index, request, r.path("json"));
    }

    /** {@code total: 0} and/or {@code requests: [{method, path, count}]}. */
    private void checkTargets(String what, JsonNode expect) {
      if (expect.isMissingNode()) {
        return;
      }
      List<LoggedRequest> all = target.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl()));
      if (expect.has("total")) {
        assertThat(all).as(what + " requests to the target: " + describe(all)).hasSize(expect.get("total").asInt());
      }
      for (JsonNode r : expect.path("requests")) {
        long count = all.stream().filter(l -> l.getMethod().getName().equals(r.path("method").asText("POST"))
            && l.getUrl().equals(r.path("path").asText())).count();
        assertThat(count).as(what + " " + r + " among " + describe(all)).isEqualTo(r.path("count").asLong());
        for (JsonNode s : r.path("body_contains")) {
          assertThat(all.stream().filter(l -> l.getUrl().equals(r.path("path").asText()))
              .allMatch(l -> l.getBodyAsString().contains(s.asText()))).as(what + " body of " + r).isTrue();
        }
      }
    }

    private void waitFor(String what, JsonNode w) throws Exception {
      long deadline = System.currentTimeMillis() + w.path("timeout_ms").asLong(15_000);
      JsonNode view = null;
      while (System.currentTimeMillis() < deadline) {
        view = json(service.get("/api/runs/" + runId, "grace"));
        if (JsonExpect.matches(view, substitute(w.path("json")))) {
          return;
        }
        Thread.sleep(100);
      }
      fail(what + ": run " + runId + " never matched " + w.path("json") + ": " + shorten(String.valueOf(view)));
    }

    private void finalChecks(JsonNode expect) throws Exception {
      String what = dir.getFileName() + " (end)";
      checkTargets(what, expect.path("targets"));
      if (expect.has("audit")) {
        Map<String, Integer> counts = auditCounts();
        for (Map.Entry<String, JsonNode> e : expect.get("audit").properties()) {
          int actual = counts.getOrDefault(e.getKey(), 0);
          JsonNode v = e.getValue();
          if (v.isObject()) {
            if (v.has("min")) {
              assertThat(actual).as(what + " audit " + e.getKey() + " in " + counts).isGreaterThanOrEqualTo(v.get("min").asInt());
            }
            if (v.has("max")) {
              assertThat(actual).as(what + " audit " + e.getKey() + " in " + counts).isLessThanOrEqualTo(v.get("max").asInt());
            }
          } else {
            assertThat(actual).as(what + " audit " + e.getKey() + " in " + counts).isEqualTo(v.asInt());
          }
        }
      }
      if (expect.has("run")) {
        assertThat(runId).as(what + ": a run was created").isNotNull();
        JsonExpect.check(what + " run", json(service.get("/api/runs/" + runId, "grace")), substitute(expect.get("run")));
      }
      if (expect.has("no_run")) {
        assertThat(runId).as(what + ": no run was created").isNull();
      }
    }

    private Map<String, Integer> auditCounts() throws Exception {
      Map<String, Integer> counts = new HashMap<>();
      try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement(
          "select action, count(*) from audit_log where incident_id = ? or run_id in"
              + " (select run_id from audit_log where incident_id = ? and run_id is not null) group by action")) {
        s.setString(1, incident);
        s.setString(2, incident);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            counts.put(rs.getString(1), rs.getInt(2));
          }
        }
      }
      return counts;
    }

    /** The loop's invariants, on everything this scenario sent to the model and got back. */
    private void invariants() throws Exception {
      String what = dir.getFileName() + " (invariants)";
      for (int i = 0; i < modelRequests.size(); i++) {
        JsonNode request = modelRequests.get(i);
        String label = what + " model request " + (i + 1);
        answered(label, request.path("messages"));
        request.path("tools").forEach(t -> assertThat(t.path("function").path("name").asText()).as(label)
            .doesNotMatch("(?i)^(run|execute|exec|approve|skip)(_.*)?$"));
        assertThat(request.toString()).as(label + " holds no secret")
            .doesNotContain(ScenarioService.SECRET).doesNotContain(ScenarioService.MODEL_KEY);
      }
      for (String answer : answers) {
        assertThat(answer).as(what + " API answers hold no secret")
            .doesNotContain(ScenarioService.SECRET).doesNotContain(ScenarioService.MODEL_KEY);
      }
      try (Connection c = db.jdbc(); PreparedStatement s = c.prepareStatement(
          "select count(*) from audit_log where (incident_id = ?) and (details::text like ? or details::text like ?)")) {
        s.setString(1, incident);
        s.setString(2, "%" + ScenarioService.SECRET + "%");
        s.setString(3, "%" + ScenarioService.MODEL_KEY + "%");
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).as(what + " audit entries with a secret").isZero();
        }
      }
    }

    /** Every assistant tool call is answered by a tool message before the next non-tool message. */
    private static void answered(String label, JsonNode messages) {
      Set<String> open = new HashSet<>();
      for (JsonNode m : messages) {
        String role = m.path("role").asText();
        if (role.equals("tool")) {
          assertThat(open.remove(m.path("tool_call_id").asText()))
              .as(label + ": tool result " + m.path("tool_call_id") + " answers an open call").isTrue();
          continue;
        }
        assertThat(open).as(label + ": unanswered tool calls before a " + role + " message").isEmpty();
        if (role.equals("assistant")) {
          m.path("tool_calls").forEach(c -> open.add(c.path("id").asText()));
        }
      }
      assertThat(open).as(label + ": unanswered tool calls at the end").isEmpty();
    }

    private JsonNode substitute(JsonNode node) throws IOException {
      if (node == null || node.isMissingNode()) {
        return node;
      }
      return JSON.readTree(substitute(JSON.writeValueAsString(node)));
    }

    private String substitute(String text) {
      return text.replace("{incident}", incident).replace("{run}", runId == null ? "{run}" : runId);
    }
  }

  static JsonNode json(HttpResponse<Buffer> res) throws IOException {
    String body = res.bodyAsString();
    return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
  }

  private static String describe(List<LoggedRequest> requests) {
    return requests.stream().map(r -> r.getMethod().getName() + " " + r.getUrl()).toList().toString();
  }

  private static String shorten(String s) {
    return s == null ? "" : s.length() > 3000 ? s.substring(0, 3000) + "…" : s;
  }
}
