package dev.rebound.slack;

import dev.rebound.agent.GuidedSuggestions;
import dev.rebound.runbook.Runbook;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the suggestion message shows for an incident: the affected assets and what depends on
 * them, the guided-mode suggestions (similar incidents, runbooks), and the best runbook's plan.
 *
 * @param assets affected asset ids (the incident's, else the best runbook's)
 * @param assetsNamed whether {@code assets} are the incident's own; otherwise they are what the
 *     best runbook acts on, a guess the message must not present as the incident's
 * @param downstream ids of assets that depend on them
 * @param tightestRto the strictest RTO among affected and downstream assets, e.g. "30m (serving.primary)"
 * @param plan the best runbook, when one is suggested and loaded
 * @param drillCaution why the best runbook's recovery is not proven by a drill, when it is not
 */
record Suggestion(
    String incidentId,
    String title,
    List<String> assets,
    boolean assetsNamed,
    List<String> downstream,
    Optional<String> tightestRto,
    GuidedSuggestions guided,
    Optional<Runbook> plan,
    Optional<String> drillCaution,
    String mode) {

  Suggestion {
    assets = List.copyOf(assets);
    downstream = List.copyOf(downstream);
  }

  /** The best startable runbook's id, if any. */
  Optional<GuidedSuggestions.Suggested> best() {
    return guided.suggestedRunbooks().stream().findFirst();
  }

  static String duration(Duration d) {
    long minutes = d.toMinutes();
    if (minutes == 0) {
      return d.toSeconds() + "s";
    }
    return minutes % 60 == 0 && minutes >= 60 ? minutes / 60 + "h" : minutes + "m";
  }
}
