package dev.rebound.app;

import dev.rebound.agent.AgentService;
import dev.rebound.config.ReboundConfig;
import dev.rebound.engine.Engine;
import dev.rebound.engine.check.ParamChoiceReader;
import dev.rebound.slack.SlackDeps;
import dev.rebound.slack.SlackService;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;

/**
 * Builds the Slack edge and the alert intake over the services the API uses: the incident service
 * behind {@code POST /api/incidents}, the agent behind {@code POST /api/chat} (its guided mode
 * for suggestions), the engine behind the run routes, the team from knowledge, the drill flags
 * (suggested runbooks whose recovery is not proven are marked).
 */
public final class SlackWiring {
  private SlackWiring() {}

  public static SlackService create(Vertx vertx, Pool pool, Bootstrap.Services services, RetrievalWiring retrieval,
      Engine engine, AgentService agent, DrillWiring drills) {
    ReboundConfig config = services.workspace().config();
    SlackDeps deps = new SlackDeps(vertx, pool, config.slack(), retrieval.incidents(), agent, engine,
        services.knowledge(), services.runbooks()::current, services.audit(),
        id -> drills.service().flags().forRunbook(id).map(flag -> flag.summary(java.time.Instant.now())),
        services.statuses().gate(),
        // Slack's trigger to open the form expires 3 s after the press.
        ParamChoiceReader.standard(config, Duration.ofMillis(1500)));
    return SlackService.create(deps);
  }
}
