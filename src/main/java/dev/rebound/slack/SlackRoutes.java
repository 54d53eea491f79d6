package dev.rebound.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.error.UnavailableException;
import dev.rebound.http.ApiRoutes;
import dev.rebound.http.Authz;
import dev.rebound.http.MalformedJsonException;
import dev.rebound.http.Responses;
import dev.rebound.inventory.Role;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The routes:
 *
 * <ul>
 *   <li>{@code POST /slack/commands}, {@code /slack/interactions}, {@code /slack/events}: no bearer
 *       token (Slack has none); the request signature is the authentication, checked first by
 *       {@link SlackRequestGuard} over the raw body the body handler kept. Without
 *       {@code SLACK_SIGNING_SECRET} and {@code SLACK_BOT_TOKEN} they answer 503 saying so;
 *   <li>{@code POST /api/alerts/alertmanager} (responder, bearer token as Alertmanager's
 *       {@code http_config.authorization} sends it): 201 incident opened with its suggestions,
 *       200 group updated, 202 another delivery is opening it.
 * </ul>
 */
final class SlackRoutes implements ApiRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Slack side, absent when Slack is not configured. */
  record Slack(SlackRequestGuard guard, CommandHandler commands, InteractionHandler interactions,
      EventHandler events) {}

  private final Optional<Slack> slack;
  private final AlertIntake alerts;

  SlackRoutes(Optional<Slack> slack, AlertIntake alerts) {
    this.slack = slack;
    this.alerts = alerts;
  }

  @Override
  public void mount(Router router, Authz authz) {
    mountSlack(router, "/slack/commands", s -> s.commands()::handle);
    mountSlack(router, "/slack/interactions", s -> s.interactions()::handle);
    mountSlack(router, "/slack/events", s -> s.events()::handle);
    router.post("/api/alerts/alertmanager").handler(authz.require(Role.RESPONDER)).handler(this::alert);
  }

  private void mountSlack(Router router, String path, java.util.function.Function<Slack, Handler<RoutingContext>> h) {
    if (slack.isEmpty()) {
      router.post(path).handler(ctx -> ctx.fail(new UnavailableException("Slack is not configured on this server:"
          + " set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (see README, Slack)", null)));
      return;
    }
    Handler<RoutingContext> handler = h.apply(slack.get());
    router.post(path).handler(slack.get().guard()).handler(ctx -> {
      try {
        handler.handle(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }

  private void alert(RoutingContext ctx) {
    JsonNode body;
    try {
      body = JSON.readTree(ctx.body() == null || ctx.body().buffer() == null ? new byte[0]
          : ctx.body().buffer().getBytes());
      AlertmanagerPayload payload = AlertmanagerPayload.parse(body);
      alerts.receive(payload, Authz.identity(ctx).id())
          .onSuccess(out -> Responses.json(ctx, out.status(), out.body().toString()))
          .onFailure(ctx::fail);
    } catch (java.io.IOException e) {
      ctx.fail(new MalformedJsonException("the body is not valid JSON: an Alertmanager webhook (version 4) is expected"));
    } catch (RuntimeException e) {
      ctx.fail(e);
    }
  }
}
