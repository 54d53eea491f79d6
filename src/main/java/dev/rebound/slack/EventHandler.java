package dev.rebound.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.app_backend.events.payload.AppMentionPayload;
import com.slack.api.model.event.AppMentionEvent;
import com.slack.api.util.json.GsonFactory;
import dev.rebound.http.MalformedJsonException;
import dev.rebound.http.Responses;
import dev.rebound.engine.Actor;
import dev.rebound.inventory.Person;
import dev.rebound.inventory.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Events API: {@code url_verification} (Slack checks the URL by asking for its challenge back)
 * and {@code app_mention}. A mention in an incident's thread is a chat turn with the agent (the
 * {@code POST /api/chat} logic: the model when one is configured, guided suggestions otherwise),
 * answered in the thread. Slack retries an event it thinks went unanswered with the same
 * {@code event_id}; the second delivery is acknowledged and ignored.
 */
final class EventHandler {
  private static final Logger LOG = LoggerFactory.getLogger(EventHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REPLY = 3900;

  private final SlackDeps deps;
  private final SlackUsers users;
  private final SeenRequests seen;
  private final SlackApi api;
  private final PostedMessages posted;

  EventHandler(SlackDeps deps, SlackUsers users, SeenRequests seen, SlackApi api, PostedMessages posted) {
    this.deps = deps;
    this.users = users;
    this.seen = seen;
    this.api = api;
    this.posted = posted;
  }

  void handle(RoutingContext ctx) {
    JsonNode body;
    try {
      body = JSON.readTree(ctx.body().buffer().getBytes());
    } catch (java.io.IOException e) {
      ctx.fail(new MalformedJsonException("the event body is not valid JSON"));
      return;
    }
    if ("url_verification".equals(body.path("type").asText())) {
      Responses.ok(ctx, new JsonObject().put("challenge", body.path("challenge").asText()));
      return;
    }
    String eventId = body.path("event_id").asText("");
    if (!"event_callback".equals(body.path("type").asText()) || eventId.isEmpty()) {
      ctx.response().setStatusCode(200).end();
      return;
    }
    seen.firstTime("event:" + eventId).onComplete(first -> {
      if (first.failed()) {
        ctx.fail(first.cause());
        return;
      }
      ctx.response().setStatusCode(200).end();
      if (first.result() && "app_mention".equals(body.path("event").path("type").asText())) {
        AppMentionEvent event = GsonFactory.createSnakeCase().fromJson(ctx.body().asString(), AppMentionPayload.class)
            .getEvent();
        mention(event).onFailure(e -> LOG.warn("mention {} not answered: {}", eventId, e.toString()));
      }
    });
  }

  private Future<?> mention(AppMentionEvent event) {
    String thread = event.getThreadTs() != null ? event.getThreadTs() : event.getTs();
    Optional<String> inThread = Optional.of(thread);
    Optional<Person> person = users.person(event.getUser());
    if (person.isEmpty()) {
      return api.ephemeral(event.getChannel(), event.getUser(), inThread, SlackUsers.unknown(event.getUser()));
    }
    if (!person.get().has(Role.RESPONDER)) {
      return api.ephemeral(event.getChannel(), event.getUser(), inThread, "Asking the agent needs the responder"
          + " role; knowledge/team.yaml gives " + person.get().id() + " " + person.get().highestRole().yamlName() + ".");
    }
    return posted.incidentOfThread(event.getChannel(), thread).compose(incident -> {
      if (incident.isEmpty()) {
        return api.post(event.getChannel(), inThread, "Mention me in the thread of an incident Rebound posted"
            + " (open one with /rebound <what is broken>).", List.of());
      }
      String question = event.getText() == null ? "" : event.getText().replaceAll("<@[A-Z0-9]+>", "").strip();
      return deps.agent().chat(incident.get(), question,
          Actor.teamMember(person.get().id(), person.get().highestRole()))
          .compose(reply -> api.post(event.getChannel(), inThread, SlackText.cut(SlackText.escape(reply.reply()),
              MAX_REPLY), List.of()));
    });
  }
}
