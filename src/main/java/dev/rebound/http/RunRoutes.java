package dev.rebound.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.audit.AuditQuery;
import dev.rebound.engine.Actor;
import dev.rebound.engine.Engine;
import dev.rebound.engine.NewRun;
import dev.rebound.engine.RunKind;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.Role;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Runs over HTTP; the rules are the engine's, this only parses, identifies and renders.
 *
 * <ul>
 *   <li>{@code GET /api/runs?incident=ID} (viewer): {@code {"incident_id", "runs": […]}}, summaries of
 *       the incident's runs, oldest first (who requested each, and who proposed it for them);
 *   <li>{@code POST /api/runs} (responder) {@code {"runbook_id", "params": {…}, "incident_id"?}} → 201, the run;
 *   <li>{@code GET /api/runs/{id}} (viewer): the run, its steps and what it waits for;
 *   <li>{@code GET /api/runs/{id}/events} (viewer): server-sent events, snapshot then transitions;
 *       429 when the caller already has the most streams open ({@link StreamSlots});
 *   <li>{@code POST /api/runs/{id}/steps/{step}/approve} {@code {"action_hash", "attempt"?}} (the
 *       attempt, when given, must be the one awaiting approval) and
 *       {@code …/reject} {@code {"reason"}}: any authenticated caller reaches the engine, which
 *       refuses and <em>audits</em> a caller whose role is too low (a viewer's attempt is on the
 *       record, not just a 403 in an access log); the response shows what the approval binds;
 *   <li>{@code POST /api/runs/{id}/steps/{step}/retry} (responder), {@code POST /api/runs/{id}/recheck}
 *       (responder), {@code POST /api/runs/{id}/rollback} and {@code …/abort} (approver)
 *       {@code {"reason"?}}.
 * </ul>
 *
 * Drill runs cannot be started here: only the drill bot starts them, through the engine.
 */
public final class RunRoutes implements ApiRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> CREATE_FIELDS = Set.of("runbook_id", "params", "incident_id");

  private final Engine engine;
  private final AuditQuery audit;
  private final StreamSlots streams;

  public RunRoutes(Engine engine, AuditQuery audit, StreamSlots streams) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  @Override
  public void mount(Router router, Authz authz) {
    router.post("/api/runs").handler(authz.require(Role.RESPONDER)).handler(this::create);
    router.get("/api/runs").handler(authz.require(Role.VIEWER)).handler(this::ofIncident);
    router.get("/api/runs/:id").handler(authz.require(Role.VIEWER)).handler(this::get);
    router.get("/api/runs/:id/events").handler(authz.require(Role.VIEWER)).handler(this::events);
    router.post("/api/runs/:id/steps/:step/approve").handler(authz.require(Role.VIEWER)).handler(this::approve);
    router.post("/api/runs/:id/steps/:step/reject").handler(authz.require(Role.VIEWER)).handler(this::reject);
    router.post("/api/runs/:id/steps/:step/retry").handler(authz.require(Role.RESPONDER)).handler(this::retry);
    router.post("/api/runs/:id/recheck").handler(authz.require(Role.RESPONDER)).handler(this::recheck);
    router.post("/api/runs/:id/rollback").handler(authz.require(Role.APPROVER)).handler(this::rollback);
    router.post("/api/runs/:id/abort").handler(authz.require(Role.APPROVER)).handler(this::abort);
  }

  static Actor actor(Identity identity) {
    return Actor.of(identity.id(), identity.role(), !Identity.VIA_ADMIN_TOKEN.equals(identity.via()));
  }

  private void create(RoutingContext ctx) {
    try {
      JsonObject body = RequestBodies.jsonObject(ctx);
      List<String> problems = new ArrayList<>();
      body.fieldNames().stream().filter(f -> !CREATE_FIELDS.contains(f)).sorted()
          .forEach(f -> problems.add("unknown field '" + f + "' (known: runbook_id, params, incident_id)"));
      Object runbookId = body.getValue("runbook_id");
      if (!(runbookId instanceof String id) || id.isBlank()) {
        problems.add("runbook_id is required: the id of the runbook to run");
      }
      Object params = body.getValue("params");
      if (params != null && !(params instanceof JsonObject)) {
        problems.add("params must be a JSON object of name → value");
      }
      Object incident = body.getValue("incident_id");
      if (incident != null && !(incident instanceof String)) {
        problems.add("incident_id must be a string");
      }
      if (!problems.isEmpty()) {
        throw new ValidationException(problems);
      }
      JsonNode paramTree = JSON.readTree(params == null ? "{}" : ((JsonObject) params).encode());
      NewRun request = new NewRun((String) runbookId, paramTree, Optional.ofNullable((String) incident), RunKind.LIVE);
      engine.create(actor(Authz.identity(ctx)), request)
          .onSuccess(view -> Responses.json(ctx, 201, view.toString()))
          .onFailure(ctx::fail);
    } catch (RuntimeException e) {
      ctx.fail(e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      ctx.fail(new ValidationException("params are not valid JSON"));
    }
  }

  private void ofIncident(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      List<String> ids = ctx.queryParams().getAll("incident");
      if (ids.size() != 1 || ids.get(0).isBlank()) {
        throw new ValidationException("query parameter incident is required, once: the id of the incident whose runs"
            + " to list (GET /api/runs?incident=INC-…)");
      }
      String incidentId = ids.get(0).strip();
      return engine.runsOfIncident(incidentId).map(runs -> {
        var out = ApiJson.object();
        out.put("incident_id", incidentId);
        runs.forEach(out.putArray("runs")::add);
        return out;
      });
    });
  }

  private void get(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> engine.view(ctx.pathParam("id")));
  }

  private void events(RoutingContext ctx) {
    String runId = ctx.pathParam("id");
    StreamSlots.Slot slot = streams.take(Authz.identity(ctx));
    RunEventStream stream = new RunEventStream(ctx.vertx(), audit, runId, ctx.response(), slot);
    stream.subscribe();
    engine.view(runId).onSuccess(stream::snapshot).onFailure(e -> {
      stream.close();
      ctx.fail(e);
    });
  }

  /** Who may approve depends on the step's risk: the engine refuses who may approve none before the body is read. */
  private void approve(RoutingContext ctx) {
    Actor actor = actor(Authz.identity(ctx));
    String runId = ctx.pathParam("id");
    String stepId = ctx.pathParam("step");
    ApiJson.reply(ctx, () -> engine.mayDecideSteps(actor, runId, stepId, "approve").compose(allowed -> {
      JsonObject body = RequestBodies.jsonObject(ctx);
      Object hash = body.getValue("action_hash");
      return engine.approve(actor, runId, stepId, hash instanceof String s ? s : null, attempt(body));
    }));
  }

  private void reject(RoutingContext ctx) {
    Actor actor = actor(Authz.identity(ctx));
    String runId = ctx.pathParam("id");
    String stepId = ctx.pathParam("step");
    ApiJson.reply(ctx, () -> engine.mayDecideSteps(actor, runId, stepId, "reject")
        .compose(allowed -> engine.reject(actor, runId, stepId, text(RequestBodies.jsonObject(ctx), "reason"))));
  }

  private void retry(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> engine.retry(actor(Authz.identity(ctx)), ctx.pathParam("id"), ctx.pathParam("step")));
  }

  private void recheck(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> engine.recheck(actor(Authz.identity(ctx)), ctx.pathParam("id")));
  }

  private void rollback(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> engine.rollback(actor(Authz.identity(ctx)), ctx.pathParam("id"), optionalReason(ctx)));
  }

  private void abort(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> engine.abort(actor(Authz.identity(ctx)), ctx.pathParam("id"), optionalReason(ctx)));
  }

  /** The optional {@code attempt} the approver was shown ({@code awaiting.attempt}). */
  private static OptionalInt attempt(JsonObject body) {
    Object value = body.getValue("attempt");
    if (value == null) {
      return OptionalInt.empty();
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
        || ((Number) value).longValue() > Integer.MAX_VALUE) {
      throw new ValidationException("attempt must be a positive integer: the attempt you reviewed, as the run's"
          + " awaiting.attempt shows it");
    }
    return OptionalInt.of(((Number) value).intValue());
  }

  /** {@code reason} from an optional JSON body. */
  private static String optionalReason(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().isEmpty()) {
      return null;
    }
    return text(RequestBodies.jsonObject(ctx), "reason");
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new ValidationException(field + " must be a string");
    }
    return (String) value;
  }
}
