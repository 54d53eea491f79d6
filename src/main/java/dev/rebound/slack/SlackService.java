package dev.rebound.slack;

import dev.rebound.config.SlackSettings;
import dev.rebound.http.ApiRoutes;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack edge and the alert intake, built once at start-up from {@link SlackDeps}. With
 * Slack configured ({@code SLACK_SIGNING_SECRET}, {@code SLACK_BOT_TOKEN}) it serves Slack's
 * request URLs and posts; without, the Slack routes answer 503 and alerts still open incidents.
 * {@link #start()} follows again the runs whose threads it kept before a restart and prunes the
 * dedup table hourly; {@link #close()} stops both and the Web API client.
 */
public final class SlackService {
  private static final Logger LOG = LoggerFactory.getLogger(SlackService.class);
  private static final Duration PRUNE_EVERY = Duration.ofHours(1);

  private final SlackDeps deps;
  private final SlackRoutes routes;
  private final Optional<SlackApi> api;
  private final Optional<RunFollower> follower;
  private final SeenRequests seen;
  private final PostedMessages posted;
  private final SuggestionPoster suggestions;
  private long pruneTimer = -1;

  private SlackService(SlackDeps deps, Clock clock) {
    this.deps = deps;
    SlackSettings settings = deps.settings();
    this.seen = new SeenRequests(deps.pool());
    this.posted = new PostedMessages(deps.pool());
    this.api = settings.enabled()
        ? Optional.of(new SlackApi(deps.vertx(), settings.botToken().orElseThrow().reveal(), settings.apiBaseUrl()))
        : Optional.empty();
    this.suggestions = new SuggestionPoster(deps, api.orElse(null), posted);
    Optional<ApprovalRequests> requests = api.map(a -> new ApprovalRequests(posted, a));
    this.follower = api.map(a -> new RunFollower(deps.vertx(), deps.engine(), a, posted, requests.orElseThrow(),
        settings.policy()));
    Optional<SlackRoutes.Slack> slack = api.map(a -> {
      SlackUsers users = new SlackUsers(deps.knowledge().team());
      RunActions actions = new RunActions(deps, a, posted, requests.orElseThrow(), follower.orElseThrow(), suggestions);
      return new SlackRoutes.Slack(
          new SlackRequestGuard(new RequestSignature(settings.signingSecret().orElseThrow().reveal()), seen,
              deps.audit(), clock),
          new CommandHandler(deps, users, seen, suggestions),
          new InteractionHandler(users, seen, a, actions, new SlackResolutions(deps.agent(), a, settings.policy())),
          new EventHandler(deps, users, seen, a, posted));
    });
    Optional<AlertIntake.SlackOut> out = api.flatMap(a -> settings.policy().channel()
        .map(channel -> new AlertIntake.SlackOut(suggestions, posted, a, channel)));
    if (api.isPresent() && settings.policy().channel().isEmpty()) {
      LOG.warn("Slack is configured but slack.channel is not set in rebound.yaml: alerts open incidents"
          + " without posting them");
    }
    this.routes = new SlackRoutes(slack, new AlertIntake(deps, new AlertGroups(deps.pool()), suggestions, out));
  }

  public static SlackService create(SlackDeps deps) {
    return new SlackService(deps, Clock.systemUTC());
  }

  /** With a clock of the test's, for the timestamp window. */
  static SlackService create(SlackDeps deps, Clock clock) {
    return new SlackService(deps, clock);
  }

  public boolean enabled() {
    return api.isPresent();
  }

  public ApiRoutes routes() {
    return routes;
  }

  /** Follows the unfinished runs it posted about; never fails the start (Slack is best effort). */
  public Future<Void> start() {
    if (follower.isEmpty()) {
      return Future.succeededFuture();
    }
    pruneTimer = deps.vertx().setPeriodic(PRUNE_EVERY.toMillis(), id -> seen.prune()
        .onFailure(e -> LOG.warn("pruning slack_requests failed: {}", e.toString())));
    return posted.runs().compose(runs -> {
      List<Future<?>> all = new ArrayList<>();
      runs.forEach((runId, status) -> all.add(deps.engine().view(runId).compose(view -> {
        String state = view.path("state").asText();
        if (state.equals("proposed") || state.equals("running")) {
          return follower.get().follow(new RunFollower.Followed(runId, status,
              Instant.parse(view.path("created_at").asText()), Optional.empty()));
        }
        return Future.succeededFuture();
      })));
      return Future.join(all).<Void>mapEmpty();
    }).recover(e -> {
      LOG.warn("Slack threads of unfinished runs not resumed: {}", e.toString());
      return Future.succeededFuture();
    });
  }

  public Future<Void> close() {
    if (pruneTimer >= 0) {
      deps.vertx().cancelTimer(pruneTimer);
    }
    Future<Void> followers = follower.map(RunFollower::close).orElse(Future.succeededFuture());
    return followers.compose(x -> api.map(SlackApi::close).orElse(Future.succeededFuture()));
  }
}
