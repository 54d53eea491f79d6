package dev.rebound.slack;

import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.model.view.View;
import com.slack.api.util.json.GsonFactory;
import dev.rebound.engine.Actor;
import dev.rebound.error.ValidationException;
import dev.rebound.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submissions of Rebound's forms ({@code view_submission}): the {@link ParamsModal} and the
 * {@link ResolveModal}, each a {@link Form} under its callback id. Unlike a button press, Slack
 * waits for the answer (up to 3 s) and shows it: an empty 200 closes the form once its work is
 * done; {@code response_action: errors} keeps it open with each problem under its input, and
 * nothing is done. Who submitted is mapped through {@code knowledge/team.yaml} like a press, and
 * the work enforces the role; a repeated delivery of a submission that was done does nothing,
 * while one answered with errors may be corrected and submitted again.
 */
final class ViewSubmissions {
  private static final Logger LOG = LoggerFactory.getLogger(ViewSubmissions.class);

  /** What a submitted form does: the problems by input's block id, empty when done. */
  interface Form {
    Future<Map<String, String>> submit(Actor actor, View view);
  }

  private final SlackUsers users;
  private final SeenRequests seen;
  private final Map<String, Form> forms;

  /** @param forms by callback id */
  ViewSubmissions(SlackUsers users, SeenRequests seen, Map<String, Form> forms) {
    this.users = users;
    this.seen = seen;
    this.forms = Map.copyOf(forms);
  }

  void handle(RoutingContext ctx, String json) {
    ViewSubmissionPayload payload;
    try {
      payload = GsonFactory.createSnakeCase().fromJson(json, ViewSubmissionPayload.class);
    } catch (com.google.gson.JsonParseException e) {
      throw new ValidationException("the interaction payload is not the JSON Slack sends for view_submission");
    }
    View view = payload.getView();
    Form form = view == null || view.getCallbackId() == null ? null : forms.get(view.getCallbackId());
    if (form == null || payload.getUser() == null) {
      ctx.response().setStatusCode(200).end();
      return;
    }
    String firstInput = view.getState() == null || view.getState().getValues() == null
        ? "" : view.getState().getValues().keySet().stream().findFirst().orElse("");
    String user = payload.getUser().getId();
    Optional<Actor> actor = users.actor(user);
    if (actor.isEmpty()) {
      answer(ctx, Map.of(firstInput, SlackUsers.unknown(user)));
      return;
    }
    // Claimed before the work, so that of two deliveries at once only one does it; given
    // back when the answer is errors, since Slack keeps the form open with the same view id and
    // hash and its corrected submission must not count as a repeat.
    String key = "view:" + view.getId() + ":" + view.getHash();
    seen.firstTime(key)
        .compose(first -> first
            ? submit(form, actor.get(), view).recover(e -> {
              LOG.warn("Slack form {} by {} not done: {}", view.getCallbackId(), user, e.toString());
              return Future.succeededFuture(Map.of(firstInput, "Not done: " + e.getMessage()));
            }).compose(errors -> errors.isEmpty() ? Future.succeededFuture(errors)
                : seen.forget(key).map(errors))
            : Future.succeededFuture(Map.<String, String>of()))
        .onSuccess(errors -> answer(ctx, errors))
        .onFailure(e -> {
          LOG.warn("Slack form {} by {} not done: {}", view.getCallbackId(), user, e.toString());
          answer(ctx, Map.of(firstInput, "Not done: " + e.getMessage()));
        });
  }

  private static Future<Map<String, String>> submit(Form form, Actor actor, View view) {
    try {
      return form.submit(actor, view);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Closes the form (no errors) or shows the errors under their inputs. */
  private static void answer(RoutingContext ctx, Map<String, String> errors) {
    if (errors.isEmpty()) {
      ctx.response().setStatusCode(200).end();
      return;
    }
    JsonObject body = new JsonObject().put("response_action", "errors");
    JsonObject byInput = new JsonObject();
    errors.forEach((input, text) -> byInput.put(input, SlackText.cut(text, 2000)));
    Responses.json(ctx, 200, body.put("errors", byInput));
  }
}
