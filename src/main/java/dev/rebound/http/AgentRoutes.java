package dev.rebound.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.agent.AgentService;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.Role;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The recovery agent over HTTP; everything it decides is the agent's, this parses and renders.
 *
 * <ul>
 *   <li>{@code POST /api/chat} (responder) {@code {"incident_id", "message"}}: the reply, the mode
 *       ({@code model} or {@code guided}), the tool calls made (name, arguments, status, reason),
 *       pending approvals with what each binds, and guided suggestions when there was no (working)
 *       model. A model failure is a 200 with {@code degraded}, never a 5xx;
 *   <li>{@code GET /api/chat?incident_id=&limit=&before=} (viewer): the incident's conversation so
 *       far, its latest messages first asked for, oldest first within a page, each with its
 *       {@code seq} and each guided answer with the suggestions it carried ({@code guided}, as in
 *       the reply); a page at a time ({@link Paging}: {@code next} is the seq of the page's first
 *       message, {@code before=} it gives the messages before it);
 *   <li>{@code GET /api/incidents/{id}/postmortem} (viewer): a postmortem draft from the audit
 *       timeline (with a model, plus a narrative);
 *   <li>{@code POST /api/incidents/{id}/resolve} (responder) {@code {"root_cause", "resolution",
 *       "runbooks_used"?}}: records them and makes the incident searchable at once.
 * </ul>
 */
public final class AgentRoutes implements ApiRoutes {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> CHAT_FIELDS = Set.of("incident_id", "message");

  private final AgentService agent;

  public AgentRoutes(AgentService agent) {
    this.agent = agent;
  }

  @Override
  public void mount(Router router, Authz authz) {
    router.post("/api/chat").handler(authz.require(Role.RESPONDER)).handler(this::chat);
    router.get("/api/chat").handler(authz.require(Role.VIEWER)).handler(this::conversation);
    router.get("/api/incidents/:id/postmortem").handler(authz.require(Role.VIEWER)).handler(this::postmortem);
    router.post("/api/incidents/:id/resolve").handler(authz.require(Role.RESPONDER)).handler(this::resolve);
  }

  private void chat(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      JsonObject body = RequestBodies.jsonObject(ctx);
      List<String> problems = new ArrayList<>();
      body.fieldNames().stream().filter(f -> !CHAT_FIELDS.contains(f)).sorted()
          .forEach(f -> problems.add("unknown field '" + f + "' (known: incident_id, message)"));
      Object incident = body.getValue("incident_id");
      Object message = body.getValue("message");
      if (incident != null && !(incident instanceof String)) {
        problems.add("incident_id must be a string, e.g. \"INC-2025-014\"; got " + jsonType(incident));
      } else if (!(incident instanceof String id) || id.isBlank()) {
        problems.add("incident_id is required: the incident this conversation is about");
      }
      if (message != null && !(message instanceof String)) {
        problems.add("message must be a string; got " + jsonType(message));
      } else if (!(message instanceof String)) {
        problems.add("message is required: what is broken, or what to do");
      }
      if (!problems.isEmpty()) {
        throw new ValidationException(problems);
      }
      return agent.chat(((String) incident).strip(), (String) message, RunRoutes.actor(Authz.identity(ctx)))
          .map(reply -> reply.toJson());
    });
  }

  private static String jsonType(Object value) {
    return value instanceof Number ? "a number" : value instanceof Boolean ? "a boolean"
        : value instanceof io.vertx.core.json.JsonArray ? "an array" : "an object";
  }

  private void conversation(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      List<String> ids = ctx.queryParams().getAll("incident_id");
      if (ids.size() != 1 || ids.get(0).isBlank()) {
        throw new ValidationException("incident_id is required, once");
      }
      String id = ids.get(0).strip();
      QueryParams.require(ctx.queryParams(), List.of("incident_id", "limit", "before"));
      int limit = Paging.limit(ctx.queryParams());
      int before = Paging.before(ctx.queryParams()).map(AgentRoutes::seq).orElse(Integer.MAX_VALUE);
      return agent.conversation(id).map(entries -> {
        // Messages are numbered from 1 in the order they were stored (their seq).
        int end = Math.min(before - 1, entries.size());
        int start = Math.max(0, end - limit);
        ObjectNode out = ApiJson.object();
        out.put("incident_id", id);
        out.put("mode", agent.mode());
        ArrayNode messages = out.putArray("messages");
        for (int i = start; i < end; i++) {
          messages.add(entries.get(i).toJson().put("seq", i + 1));
        }
        out.put("next", start > 0 ? Integer.valueOf(start + 1) : null);
        return out;
      });
    });
  }

  private static int seq(String text) {
    try {
      int seq = Integer.parseInt(text);
      if (seq >= 1) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ValidationException("before must be the next of the page before (a message seq, 1 or more), got '"
        + text + "'");
  }

  private void postmortem(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> agent.postmortem(ctx.pathParam("id"), RunRoutes.actor(Authz.identity(ctx)))
        .map(p -> p.toJson()));
  }

  private void resolve(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      RequestBodies.jsonObject(ctx); // the common checks and messages for bad bodies
      JsonNode body;
      try {
        body = MAPPER.readTree(ctx.body().buffer().getBytes());
      } catch (java.io.IOException e) {
        throw new MalformedJsonException("request body is not valid JSON");
      }
      return agent.resolve(ctx.pathParam("id"), body, Authz.identity(ctx).id())
          .map(IncidentRoutes::incident);
    });
  }
}
