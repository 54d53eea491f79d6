package dev.rebound.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.util.json.GsonFactory;
import dev.rebound.engine.Actor;
import dev.rebound.error.ValidationException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Button presses ({@code block_actions}): acknowledged at once with an empty 200, then handled:
 * "Start run" starts the suggested runbook for the incident (through its parameter form when it
 * takes parameters), Approve and Reject go to the engine exactly as the console's calls do,
 * "Resolve incident" opens its form ({@link SlackResolutions}); forms' submissions go to
 * {@link ViewSubmissions}. Who pressed is the Slack user mapped through
 * {@code knowledge/team.yaml}; refusals (unknown user, role too low, a step the policy sends to
 * the console, anything the engine refuses) come back as a message only that user sees. A retried
 * delivery of the same press does nothing.
 */
final class InteractionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(InteractionHandler.class);

  private final SlackUsers users;
  private final SeenRequests seen;
  private final SlackApi api;
  private final RunActions actions;
  private final SlackResolutions resolutions;
  private final ViewSubmissions submissions;

  InteractionHandler(SlackUsers users, SeenRequests seen, SlackApi api, RunActions actions,
      SlackResolutions resolutions) {
    this.users = users;
    this.seen = seen;
    this.api = api;
    this.actions = actions;
    this.resolutions = resolutions;
    this.submissions = new ViewSubmissions(users, seen, Map.of(
        ParamsModal.CALLBACK_ID, (actor, view) -> actions.startWithParams(actor,
            ParamsModal.Target.parse(view.getPrivateMetadata()), ParamsModal.values(view.getState())),
        ResolveModal.CALLBACK_ID, resolutions::submit));
  }

  /** The payload's {@code type}, or empty when it is not a JSON object. */
  private static String type(String json) {
    try {
      com.google.gson.JsonElement root = com.google.gson.JsonParser.parseString(json);
      return root.isJsonObject() && root.getAsJsonObject().has("type")
          ? root.getAsJsonObject().get("type").getAsString() : "";
    } catch (RuntimeException e) {
      throw new ValidationException("the interaction payload is not JSON");
    }
  }

  /** Where the press came from and who pressed, for replies. */
  record Press(String user, String channel, String messageTs, Optional<String> threadTs, String actionId,
      String value, String triggerId) {
    String thread() {
      return threadTs.orElse(messageTs);
    }
  }

  void handle(RoutingContext ctx) {
    String json = FormBody.field(ctx.body().asString(), "payload")
        .orElseThrow(() -> new ValidationException("an interaction must carry a 'payload' form field"));
    if ("view_submission".equals(type(json))) {
      submissions.handle(ctx, json);
      return;
    }
    BlockActionPayload payload;
    try {
      payload = GsonFactory.createSnakeCase().fromJson(json, BlockActionPayload.class);
    } catch (com.google.gson.JsonParseException e) {
      throw new ValidationException("the interaction payload is not the JSON Slack sends for block_actions");
    }
    if (payload == null) {
      throw new ValidationException("the interaction payload is empty");
    }
    if (!"block_actions".equals(payload.getType()) || payload.getActions() == null || payload.getActions().isEmpty()
        || payload.getUser() == null || payload.getChannel() == null || payload.getContainer() == null) {
      ctx.response().setStatusCode(200).end();
      return;
    }
    BlockActionPayload.Action action = payload.getActions().get(0);
    Press press = new Press(payload.getUser().getId(), payload.getChannel().getId(),
        payload.getContainer().getMessageTs(), Optional.ofNullable(payload.getContainer().getThreadTs()),
        action.getActionId(), action.getValue() == null ? "" : action.getValue(), payload.getTriggerId());
    String key = "action:" + press.user() + ":" + press.messageTs() + ":" + action.getActionTs();
    seen.firstTime(key).onComplete(first -> {
      if (first.failed()) {
        ctx.fail(first.cause());
        return;
      }
      ctx.response().setStatusCode(200).end();
      if (first.result()) {
        act(press).onFailure(e -> LOG.warn("Slack action {} by {} failed: {}", press.actionId(), press.user(),
            e.toString()));
      }
    });
  }

  private Future<?> act(Press press) {
    Optional<Actor> actor = users.actor(press.user());
    if (actor.isEmpty()) {
      return actions.refuseUnknown(press);
    }
    Future<?> done;
    try {
      done = switch (press.actionId()) {
        case SuggestionBlocks.START_RUN -> actions.startRun(actor.get(), press);
        case ApprovalBlocks.APPROVE -> actions.approve(actor.get(), press);
        case ApprovalBlocks.REJECT -> actions.reject(actor.get(), press);
        case SlackResolutions.RESOLVE -> resolutions.open(actor.get(), press);
        default -> Future.succeededFuture(); // link buttons (console) also report a press
      };
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    return done.recover(e -> api.ephemeral(press.channel(), press.user(), press.threadTs(),
        "Not done: " + SlackText.escape(e.getMessage())).compose(x -> Future.failedFuture(e)));
  }
}
