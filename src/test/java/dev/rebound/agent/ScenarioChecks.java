package dev.rebound.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rebound.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The expectations a scenario may state (on the requests the model received, on what the target
 * received, on the audit log and the run at the end) and the loop's invariants, checked after
 * every scenario on every request the model received: each {@code tool_call_id} was answered by
 * a tool result before the next message; no tool named run, execute, approve or skip was ever
 * offered; and the fixture's secrets (an env value and the model API key) never reached the
 * model, the API's answers or the audit log.
 */
final class ScenarioChecks {
  /** Reads the scenario's run as the API shows it now. */
  interface RunView {
    JsonNode get() throws Exception;
  }

  private final TestDatabase db;
  private final WireMockServer target;
  private final String incident;
  private final UnaryOperator<String> substitute;

  ScenarioChecks(TestDatabase db, WireMockServer target, String incident, UnaryOperator<String> substitute) {
    this.db = db;
    this.target = target;
    this.incident = incident;
    this.substitute = substitute;
  }

  String incident() {
    return incident;
  }

  /**
   * {@code {index: 2, tools_exactly: [...], tools_include: [...], tools_exclude: [...],
   * tools_exclude_prefix: [...], contains: [...], not_contains: [...], json: {...}}}
   */
  void request(String what, List<JsonNode> requests, JsonNode r) {
    int index = r.path("index").asInt(1);
    assertThat(requests.size()).as(what + " has model request " + index).isGreaterThanOrEqualTo(index);
    JsonNode request = requests.get(index - 1);
    List<String> offered = new ArrayList<>();
    request.path("tools").forEach(t -> offered.add(t.path("function").path("name").asText()));
    String label = what + " request " + index + " offers";
    if (r.has("tools_exactly")) {
      List<String> exactly = new ArrayList<>();
      r.get("tools_exactly").forEach(t -> exactly.add(t.asText()));
      assertThat(offered).as(label).containsExactlyInAnyOrderElementsOf(exactly);
    }
    r.path("tools_include").forEach(t -> assertThat(offered).as(label).contains(t.asText()));
    r.path("tools_exclude").forEach(t -> assertThat(offered).as(label).doesNotContain(t.asText()));
    for (JsonNode t : r.path("tools_exclude_prefix")) {
      assertThat(offered).as(label).noneMatch(name -> name.startsWith(t.asText()));
    }
    String text = request.toString();
    r.path("contains").forEach(s -> assertThat(text).as(what + " request " + index)
        .contains(substitute.apply(s.asText())));
    r.path("not_contains").forEach(s -> assertThat(text).as(what + " request " + index)
        .doesNotContain(substitute.apply(s.asText())));
    JsonExpect.check(what + " request " + index, request, r.path("json"));
  }

  /** {@code total: 0} and/or {@code requests: [{method, path, count, body_contains}]}. */
  void targets(String what, JsonNode expect) {
    if (expect.isMissingNode()) {
      return;
    }
    List<LoggedRequest> all = target.findAll(anyRequestedFor(anyUrl()));
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

  /** The scenario's {@code expect}: targets, audit counts, the run, or that no run exists. */
  void finalChecks(String what, JsonNode expect, String runId, RunView run) throws Exception {
    targets(what, expect.path("targets"));
    if (expect.has("audit")) {
      Map<String, Integer> counts = auditCounts();
      for (Map.Entry<String, JsonNode> e : expect.get("audit").properties()) {
        int actual = counts.getOrDefault(e.getKey(), 0);
        JsonNode v = e.getValue();
        String label = what + " audit " + e.getKey() + " in " + counts;
        if (v.isObject()) {
          if (v.has("min")) {
            assertThat(actual).as(label).isGreaterThanOrEqualTo(v.get("min").asInt());
          }
          if (v.has("max")) {
            assertThat(actual).as(label).isLessThanOrEqualTo(v.get("max").asInt());
          }
        } else {
          assertThat(actual).as(label).isEqualTo(v.asInt());
        }
      }
    }
    for (Map.Entry<String, JsonNode> e : expect.path("audit_entries").properties()) {
      JsonExpect.check(what + " audit entries " + e.getKey(), auditDetails(e.getKey()), e.getValue());
    }
    if (expect.has("run")) {
      assertThat(runId).as(what + ": a run was created").isNotNull();
      JsonExpect.check(what + " run", run.get(), ScenarioRun.JSON.readTree(
          substitute.apply(ScenarioRun.JSON.writeValueAsString(expect.get("run")))));
    }
    if (expect.has("no_run")) {
      assertThat(runId).as(what + ": no run was created").isNull();
    }
  }

  /** Audit entries of the incident and of its runs, counted by action. */
  private Map<String, Integer> auditCounts() throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection c = db.auditReader(); PreparedStatement s = c.prepareStatement(
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

  /** {@code {"entries": [details…]}}: the details of the incident's (and its runs') entries with this action. */
  private JsonNode auditDetails(String action) throws Exception {
    var out = ScenarioRun.JSON.createObjectNode();
    var entries = out.putArray("entries");
    try (Connection c = db.auditReader(); PreparedStatement s = c.prepareStatement(
        "select details::text from audit_log where action = ? and (incident_id = ? or run_id in"
            + " (select run_id from audit_log where incident_id = ? and run_id is not null)) order by seq")) {
      s.setString(1, action);
      s.setString(2, incident);
      s.setString(3, incident);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          entries.add(ScenarioRun.JSON.readTree(rs.getString(1)));
        }
      }
    }
    return out;
  }

  /** The loop's invariants, on everything this scenario sent to the model and got back. */
  void invariants(String what, List<JsonNode> modelRequests, List<String> answers) throws Exception {
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
    try (Connection c = db.auditReader(); PreparedStatement s = c.prepareStatement(
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

  private static String describe(List<LoggedRequest> requests) {
    return requests.stream().map(r -> r.getMethod().getName() + " " + r.getUrl()).toList().toString();
  }
}
