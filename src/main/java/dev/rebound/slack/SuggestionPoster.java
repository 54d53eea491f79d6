package dev.rebound.slack;

import dev.rebound.agent.GuidedSuggestions;
import dev.rebound.incident.Incident;
import dev.rebound.inventory.Asset;
import dev.rebound.inventory.AssetGraph;
import dev.rebound.inventory.Impact;
import dev.rebound.inventory.Knowledge;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds an incident's {@link Suggestion} (the agent's guided suggestions, the inventory's impact,
 * the best runbook's plan) and posts it, once per incident, as the message whose thread then
 * follows the incident.
 */
final class SuggestionPoster {
  private final SlackDeps deps;
  private final SlackApi api;
  private final PostedMessages posted;

  /** @param api null when Slack is off: then only {@link #suggestion} is used (alert intake), never posting */
  SuggestionPoster(SlackDeps deps, SlackApi api, PostedMessages posted) {
    this.deps = deps;
    this.api = api;
    this.posted = posted;
  }

  SlackApi api() {
    return api;
  }

  /**
   * The agent's guided suggestions and the runbook catalog are fetched side by side, then the best
   * runbook's drill flag.
   */
  Future<Suggestion> suggestion(Incident incident) {
    Future<RunbookCatalog> catalog = deps.vertx().executeBlocking(deps.catalog()::get, false);
    return Future.all(deps.agent().suggest(incident.id()), catalog).compose(both -> {
      GuidedSuggestions guided = both.resultAt(0);
      Optional<GuidedSuggestions.Suggested> best = guided.suggestedRunbooks().stream().findFirst();
      Optional<Runbook> runbook = best.flatMap(b -> catalog.result().get(b.id()));
      Future<Optional<String>> caution = best.isEmpty() ? Future.succeededFuture(Optional.empty())
          : deps.drillCautions().of(best.get().id()).otherwise(Optional.empty()); // a caution, never a blocker
      return caution.map(c -> suggestion(incident, guided, runbook, c));
    });
  }

  private Suggestion suggestion(Incident incident, GuidedSuggestions guided, Optional<Runbook> runbook,
      Optional<String> drillCaution) {
    List<String> assets = known(incident.assets().isEmpty()
        ? runbook.map(Runbook::assets).orElse(List.of()) : incident.assets());
    Set<String> downstream = new LinkedHashSet<>();
    Optional<Impact.RtoBound> tightest = Optional.empty();
    AssetGraph graph = deps.knowledge().graph();
    for (String id : assets) {
      Impact impact = graph.impact(id);
      impact.affected().forEach(r -> downstream.add(r.id()));
      if (tightest.isEmpty() || impact.tightestRto().rto().compareTo(tightest.get().rto()) < 0) {
        tightest = Optional.of(impact.tightestRto());
      }
    }
    downstream.removeAll(assets);
    Optional<String> rto = tightest.map(t -> Suggestion.duration(t.rto()) + " (" + t.assetId() + ")");
    return new Suggestion(incident.id(), incident.title(), assets, !incident.assets().isEmpty(),
        new ArrayList<>(downstream), rto, guided,
        runbook, drillCaution, deps.agent().mode());
  }

  /** Posts the suggestion for {@code incident} to {@code channel} unless it was posted already. */
  Future<Optional<PostedMessages.Posted>> post(String channel, Suggestion suggestion) {
    String subject = PostedMessages.incident(suggestion.incidentId());
    return posted.claim(subject, channel).compose(mine -> {
      if (!mine) {
        return posted.find(subject);
      }
      return api.post(channel, Optional.empty(), SuggestionBlocks.fallbackText(suggestion),
          SuggestionBlocks.blocks(suggestion)).compose(ts -> {
            if (ts.isEmpty()) {
              return posted.release(subject).map(Optional.<PostedMessages.Posted>empty());
            }
            PostedMessages.Posted p = new PostedMessages.Posted(channel, ts.get(), Optional.empty());
            return posted.record(subject, p).map(Optional.of(p));
          });
    });
  }

  /** The tightest RTO among the assets a runbook recovers, for "time against RTO". */
  Optional<Duration> rto(List<String> assetIds) {
    return known(assetIds).stream().map(id -> deps.knowledge().assets().find(id)).flatMap(Optional::stream)
        .map(Asset::rto).min(Duration::compareTo);
  }

  private List<String> known(List<String> ids) {
    return ids.stream().filter(id -> deps.knowledge().assets().contains(id)).distinct().toList();
  }
}
