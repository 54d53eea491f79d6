package dev.rebound.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.inventory.Role;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the service as Bootstrap builds it, against every role: the table below is the
 * minimum role each route requires, and a route mounted without a row here fails the test, so a
 * new route cannot be added without deciding who may call it. Refused calls (no token: 401, a
 * role below the minimum: 403) must leave every table untouched, the audit log included; allowed
 * ones must get past the role check (any status but 401 and 403: the ids are made up, so most
 * are 400 or 404).
 */
@ExtendWith(VertxExtension.class)
class RouteRolesIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @TempDir static Path tempDir;

  /**
   * Method and path template → minimum role. Approve and reject: the engine decides per step
   * (ApprovalAttacksIT); whoever the approval policy lets approve no step at all (responder is the
   * least role it names) is refused before anything else, and that refusal is audited.
   */
  private static final Map<String, Role> MINIMUM = Map.ofEntries(
      Map.entry("GET /api/whoami", Role.VIEWER),
      Map.entry("GET /api/runbooks", Role.VIEWER),
      Map.entry("GET /api/runbooks/:id", Role.VIEWER),
      Map.entry("GET /api/runbooks/:id/plan", Role.VIEWER),
      Map.entry("GET /api/runbooks/:id/params/:name/choices", Role.RESPONDER),
      Map.entry("POST /api/runbooks/:id/approve", Role.APPROVER),
      Map.entry("GET /api/assets", Role.VIEWER),
      Map.entry("GET /api/assets/recovery-order", Role.VIEWER),
      Map.entry("GET /api/assets/:id", Role.VIEWER),
      Map.entry("GET /api/assets/:id/impact", Role.VIEWER),
      Map.entry("GET /api/search", Role.VIEWER),
      Map.entry("POST /api/incidents", Role.RESPONDER),
      Map.entry("GET /api/incidents", Role.VIEWER),
      Map.entry("GET /api/incidents/:id", Role.VIEWER),
      Map.entry("GET /api/incidents/:id/similar", Role.VIEWER),
      Map.entry("GET /api/incidents/:id/runbooks", Role.VIEWER),
      Map.entry("GET /api/incidents/:id/postmortem", Role.VIEWER),
      Map.entry("POST /api/incidents/:id/resolve", Role.RESPONDER),
      Map.entry("POST /api/chat", Role.RESPONDER),
      Map.entry("GET /api/chat", Role.VIEWER),
      Map.entry("POST /api/runs", Role.RESPONDER),
      Map.entry("GET /api/runs", Role.VIEWER),
      Map.entry("GET /api/runs/:id", Role.VIEWER),
      Map.entry("GET /api/runs/:id/events", Role.VIEWER),
      Map.entry("POST /api/runs/:id/steps/:step/approve", Role.RESPONDER),
      Map.entry("POST /api/runs/:id/steps/:step/reject", Role.RESPONDER),
      Map.entry("POST /api/runs/:id/steps/:step/retry", Role.RESPONDER),
      Map.entry("POST /api/runs/:id/recheck", Role.RESPONDER),
      Map.entry("POST /api/runs/:id/rollback", Role.APPROVER),
      Map.entry("POST /api/runs/:id/abort", Role.APPROVER),
      Map.entry("GET /api/drills", Role.VIEWER),
      Map.entry("GET /api/drills/history", Role.VIEWER),
      Map.entry("GET /api/drills/flags", Role.VIEWER),
      Map.entry("GET /api/drills/reports/:drill", Role.VIEWER),
      Map.entry("POST /api/drills/:id", Role.APPROVER),
      Map.entry("GET /api/audit", Role.VIEWER),
      Map.entry("GET /api/audit/verify", Role.VIEWER),
      Map.entry("POST /api/alerts/alertmanager", Role.RESPONDER));

  /** Outside /api: no bearer token (health and metrics for probes, static files, Slack's signed requests). */
  private static final Set<String> PUBLIC = Set.of("GET /health/live", "GET /health/ready", "GET /metrics",
      "GET /", "GET /console/", "POST /slack/commands", "POST /slack/interactions", "POST /slack/events");

  /** Refused by the engine, which records every refused approval or rejection in the audit log. */
  private static final Set<String> AUDITED_REFUSALS =
      Set.of("POST /api/runs/:id/steps/:step/approve", "POST /api/runs/:id/steps/:step/reject");

  /** Wrong for every route that reads input: a hash, an attempt, a version, a reason of the wrong form. */
  private static final JsonObject MALFORMED = new JsonObject().put("action_hash", "not-a-hash").put("attempt", "first")
      .put("reason", 7).put("version", "three").put("content_hash", "zz").put("runbook_id", 1).put("params", "x")
      .put("message", List.of()).put("unknown", true);

  /** The admin token names nobody, so it cannot approve a runbook (RunbookRoutesIT) nor decide a step. */
  private static final Set<String> NOT_FOR_THE_ADMIN_TOKEN = Set.of("POST /api/runbooks/:id/approve",
      "POST /api/runs/:id/steps/:step/approve", "POST /api/runs/:id/steps/:step/reject");

  private static final String STATE = "select concat_ws(',',"
      + " (select count(*) from runs), (select count(*) from run_steps), (select count(*) from step_approvals),"
      + " (select count(*) from incidents), (select count(*) from runbook_approvals),"
      + " (select count(*) from drill_reports), (select count(*) from agent_conversations),"
      + " (select count(*) from agent_messages), (select count(*) from alert_groups),"
      + " (select count(*) from audit_log), (select count(*) from audit_pending))";

  private static ServiceUnderTest service;
  private static Map<Role, String> tokens;

  @BeforeAll
  static void startService(Vertx vertx) throws Exception {
    service = ServiceUnderTest.start(vertx, db, tempDir);
    tokens = Map.of(
        Role.VIEWER, service.token("grace", Role.VIEWER),
        Role.RESPONDER, service.token("dmitri", Role.RESPONDER),
        Role.APPROVER, service.token("alice", Role.APPROVER),
        Role.ADMIN, ServiceUnderTest.ADMIN_TOKEN);
  }

  @AfterAll
  static void stopService() throws Exception {
    service.stop();
  }

  @Test
  void every_mounted_route_has_a_decided_minimum_role() {
    Set<String> mounted = new TreeSet<>();
    for (Route route : service.routes()) {
      if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
        continue; // router-wide handlers: metrics, authentication of /api/*, body, failures
      }
      route.methods().forEach(method -> mounted.add(method.name() + " " + route.getPath()));
    }
    Set<String> decided = new TreeSet<>(MINIMUM.keySet());
    decided.addAll(PUBLIC);
    assertThat(mounted).isEqualTo(decided);
  }

  @Test
  void refused_calls_are_401_or_403_and_change_nothing() throws Exception {
    String before = state();
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Role> route : MINIMUM.entrySet()) {
      expect(wrong, route.getKey(), "no token", call(route.getKey(), null), 401);
      for (Role role : Role.values()) {
        if (!role.allows(route.getValue()) && !AUDITED_REFUSALS.contains(route.getKey())) {
          expect(wrong, route.getKey(), role.yamlName(), call(route.getKey(), tokens.get(role)), 403);
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(state()).as("tables after the refused calls").isEqualTo(before);
  }

  /**
   * Authorisation comes before validation: a role below the minimum is refused with 403 whatever
   * it sends, so it learns nothing about what valid input would be. A viewer's approval with a
   * malformed action hash was 400, the hash checked before the engine found that a viewer may
   * approve no step.
   */
  @Test
  void a_role_below_the_minimum_is_refused_before_its_input_is_looked_at() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Role> route : MINIMUM.entrySet()) {
      for (Role role : Role.values()) {
        if (!role.allows(route.getValue())) {
          expect(wrong, route.getKey() + " (malformed)", role.yamlName(),
              callMalformed(route.getKey(), tokens.get(role)), 403);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void allowed_roles_get_past_the_role_check() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Role> route : MINIMUM.entrySet()) {
      for (Role role : Role.values()) {
        boolean adminTokenRefused = role == Role.ADMIN && NOT_FOR_THE_ADMIN_TOKEN.contains(route.getKey());
        if (role.allows(route.getValue()) && !adminTokenRefused) {
          int status = call(route.getKey(), tokens.get(role)).statusCode();
          if (status == 401 || status == 403) {
            wrong.add(route.getKey() + " as " + role.yamlName() + ": " + status);
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  private static String state() throws Exception {
    return db.rows(STATE).get(0);
  }

  private static void expect(List<String> wrong, String route, String who, HttpResponse<Buffer> response, int status) {
    if (response.statusCode() != status) {
      wrong.add(route + " as " + who + ": " + response.statusCode() + " (expected " + status + ") "
          + response.bodyAsString());
    }
  }

  /** As {@link #call}, with {@link #MALFORMED} as the body of a POST and bad query parameters on a GET. */
  private static HttpResponse<Buffer> callMalformed(String route, String token) throws Exception {
    String[] methodAndPath = route.split(" ", 2);
    String path = methodAndPath[1].replaceAll(":[a-z]+", "made-up");
    return HttpMethod.valueOf(methodAndPath[0]) == HttpMethod.POST
        ? service.post(path, token, MALFORMED)
        : service.get(path + "?limit=many&order=sideways&bogus=1", token);
  }

  /** The route with its path parameters made up; a POST sends an empty JSON object. */
  private static HttpResponse<Buffer> call(String route, String token) throws Exception {
    String[] methodAndPath = route.split(" ", 2);
    String path = methodAndPath[1].replaceAll(":[a-z]+", "made-up");
    return HttpMethod.valueOf(methodAndPath[0]) == HttpMethod.POST
        ? service.post(path, token, new JsonObject())
        : service.get(path, token);
  }
}
