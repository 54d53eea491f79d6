package dev.rebound.slack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.incident.Incident;
import dev.rebound.incident.IncidentStatus;
import dev.rebound.incident.Reporter;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alertmanager webhooks to incidents: one incident per alert group ({@code groupKey}), opened on
 * the group's first firing delivery with the guided suggestions computed before the response
 * (so the caller gets incident and suggestions at once) and posted to {@code slack.channel} in
 * the background. Later deliveries of the group update it: alerts that resolved or fired again
 * (by fingerprint, each change once) are audited against the incident and noted in its thread;
 * an alert that fires again once the incident is resolved opens the group's next incident.
 */
final class AlertIntake {
  private static final Logger LOG = LoggerFactory.getLogger(AlertIntake.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> ASSET_LABELS = List.of("asset", "rebound_asset");
  private static final String UNKNOWN_ASSETS = "the alerts' asset labels name these, which are not in"
      + " knowledge/assets.yaml: left off the incident";

  /** The response: {@code created} (201), {@code updated} (200) or {@code opening} (202, another delivery is opening it). */
  record Outcome(int status, ObjectNode body) {}

  private final SlackDeps deps;
  private final AlertGroups groups;
  private final Optional<SlackOut> slack;
  private final SuggestionPoster suggestions;

  /** Where alerts go in Slack, when Slack is configured and a channel set. */
  record SlackOut(SuggestionPoster poster, PostedMessages posted, SlackApi api, String channel) {}

  AlertIntake(SlackDeps deps, AlertGroups groups, SuggestionPoster suggestions, Optional<SlackOut> slack) {
    this.deps = deps;
    this.groups = groups;
    this.suggestions = suggestions;
    this.slack = slack;
  }

  Future<Outcome> receive(AlertmanagerPayload p, String caller) {
    return groups.find(p.groupKey()).compose(found -> {
      if (found.isPresent()) {
        return existing(found.get(), p, caller);
      }
      if (p.alerts().stream().noneMatch(AlertmanagerPayload.Alert::firing)) {
        ObjectNode body = JSON.objectNode().put("group_key", p.groupKey()).putNull("incident_id")
            .put("result", "ignored: only resolved alerts for a group with no incident");
        return Future.succeededFuture(new Outcome(200, body));
      }
      return groups.claim(p.groupKey()).compose(mine -> mine ? open(p, caller, Optional.empty())
          : receive(p, caller));
    });
  }

  private Future<Outcome> existing(AlertGroups.Group group, AlertmanagerPayload p, String caller) {
    if (AlertGroups.OPENING.equals(group.incidentId())) {
      // Taken over only when the claim is stale: its holder stopped before recording the incident.
      Future<Boolean> mine = p.alerts().stream().anyMatch(AlertmanagerPayload.Alert::firing)
          ? groups.claim(p.groupKey()) : Future.succeededFuture(false);
      return mine.compose(taken -> taken ? open(p, caller, Optional.empty()) : Future.succeededFuture(new Outcome(202,
          JSON.objectNode().put("group_key", p.groupKey()).putNull("incident_id")
              .put("result", "opening: another delivery of this group is opening its incident"))));
    }
    ObjectNode changes = JSON.objectNode();
    List<String> resolved = new ArrayList<>();
    List<String> firing = new ArrayList<>();
    for (AlertmanagerPayload.Alert a : p.alerts()) {
      if (!a.status().equals(group.fingerprints().path(a.fingerprint()).asText(null))) {
        changes.put(a.fingerprint(), a.status());
        (a.firing() ? firing : resolved).add(a.name());
      }
    }
    ObjectNode body = JSON.objectNode().put("group_key", p.groupKey()).put("incident_id", group.incidentId())
        .put("result", changes.isEmpty() ? "unchanged" : "updated");
    resolved.forEach(body.putArray("resolved")::add);
    firing.forEach(body.putArray("firing")::add);
    if (changes.isEmpty()) {
      return Future.succeededFuture(new Outcome(200, body));
    }
    if (!firing.isEmpty()) {
      // Alertmanager keeps a group's key for good: firing again after its incident was resolved is a new incident.
      return deps.incidents().get(group.incidentId()).compose(incident -> incident.status() == IncidentStatus.RESOLVED
          ? reopen(group, p, caller) : update(group, p, caller, changes, body, resolved, firing));
    }
    return update(group, p, caller, changes, body, resolved, firing);
  }

  /** Points the group at a new incident; a concurrent delivery that got there first is answered as a repeat. */
  private Future<Outcome> reopen(AlertGroups.Group group, AlertmanagerPayload p, String caller) {
    return groups.reclaim(p.groupKey(), group.incidentId()).compose(mine -> mine
        ? open(p, caller, Optional.of(group.incidentId())) : receive(p, caller));
  }

  private Future<Outcome> update(AlertGroups.Group group, AlertmanagerPayload p, String caller, ObjectNode changes,
      ObjectNode body, List<String> resolved, List<String> firing) {
    return groups.update(p.groupKey(), changes)
        .compose(x -> deps.audit().append(AuditEvent.of(ActorType.HUMAN, caller, "incident.alerts_changed", "incident",
            group.incidentId()).withIncident(group.incidentId()).withDetails(Map.of("group_key", p.groupKey(),
            "resolved", resolved, "firing", firing))))
        .map(x -> {
          slack.ifPresent(s -> note(s, group.incidentId(), resolved, firing, p));
          return new Outcome(200, body);
        });
  }

  private Future<Outcome> open(AlertmanagerPayload p, String caller, Optional<String> previous) {
    ObjectNode fingerprints = JSON.objectNode();
    p.alerts().forEach(a -> fingerprints.put(a.fingerprint(), a.status()));
    // Until the incident exists the claim is undone on failure, so the next delivery opens it; after, never.
    Reporter by = Reporter.person(caller, Map.of("via", "alertmanager", "group_key", p.groupKey(),
        "receiver", p.receiver()));
    List<String> unknown = unknownAssets(p);
    return deps.incidents().report(incident(p, previous, unknown), by)
        .recover(e -> groups.abandon(p.groupKey()).transform(x -> Future.failedFuture(e)))
        .compose(incident -> {
          // Independent once the incident (and its audit entry) exists: recorded and suggested side by side.
          Future<Void> opened = groups.opened(p.groupKey(), incident.id(), fingerprints);
          Future<Outcome> suggested = withSuggestion(incident)
              .map(out -> {
                previous.ifPresent(id -> out.body().put("previous_incident_id", id));
                if (!unknown.isEmpty()) {
                  unknown.forEach(out.body().putArray("unknown_assets")::add);
                  out.body().put("note", UNKNOWN_ASSETS);
                }
                return out;
              });
          return Future.all(opened, suggested).map(all -> suggested.result());
        });
  }

  private Future<Outcome> withSuggestion(Incident incident) {
    return suggestions.suggestion(incident).map(s -> {
      slack.ifPresent(out -> out.poster().post(out.channel(), s).onFailure(e ->
          LOG.warn("alert incident {} not posted to Slack: {}", incident.id(), e.toString())));
      ObjectNode body = JSON.objectNode().put("incident_id", incident.id()).put("result", "created");
      s.assets().forEach(body.putArray("assets")::add);
      // Without an asset label naming a known asset they are the suggested runbook's, not the incident's.
      body.put("assets_from", s.assetsNamed() || s.assets().isEmpty() ? "incident" : "suggested_runbook");
      s.downstream().forEach(body.putArray("downstream")::add);
      s.tightestRto().ifPresentOrElse(r -> body.put("tightest_rto", r), () -> body.putNull("tightest_rto"));
      body.set("suggestions", s.guided().toJson());
      return new Outcome(201, body);
    });
  }

  private void note(SlackOut s, String incidentId, List<String> resolved, List<String> firing, AlertmanagerPayload p) {
    s.posted().find(PostedMessages.incident(incidentId)).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      StringBuilder text = new StringBuilder();
      if (!resolved.isEmpty()) {
        text.append(":large_green_circle: Resolved: ").append(SlackText.escape(String.join(", ", resolved)));
      }
      if (!firing.isEmpty()) {
        text.append(text.length() > 0 ? "\n" : "").append(":red_circle: Firing: ")
            .append(SlackText.escape(String.join(", ", firing)));
      }
      if ("resolved".equals(p.status())) {
        text.append("\nAll alerts of this group are resolved (the incident stays open until someone resolves it).");
      }
      return s.api().post(found.get().channel(), Optional.of(found.get().thread()), text.toString(), List.of());
    }).onFailure(e -> LOG.warn("alert update for {} not posted: {}", incidentId, e.toString()));
  }

  /** The incident fields from the alert group (the format of {@code POST /api/incidents}). */
  private ObjectNode incident(AlertmanagerPayload p, Optional<String> previous, List<String> unknown) {
    List<AlertmanagerPayload.Alert> firing = p.alerts().stream().filter(AlertmanagerPayload.Alert::firing).toList();
    AlertmanagerPayload.Alert first = firing.get(0);
    String title = Optional.ofNullable(p.commonAnnotations().get("summary"))
        .or(() -> Optional.ofNullable(first.annotations().get("summary")))
        .orElse(first.name() + (firing.size() > 1 ? " and " + (firing.size() - 1) + " more" : ""));
    Set<String> symptoms = new LinkedHashSet<>();
    Set<String> assets = new LinkedHashSet<>();
    StringBuilder body = new StringBuilder("Opened from Alertmanager (receiver " + p.receiver() + ", group "
        + p.groupKey() + ").\n");
    previous.ifPresent(id -> body.append("This group fired again after its incident ").append(id)
        .append(" was resolved.\n"));
    Instant started = Instant.now();
    for (AlertmanagerPayload.Alert a : firing) {
      symptoms.add(a.name());
      for (String label : ASSET_LABELS) {
        Optional.ofNullable(a.labels().get(label)).filter(deps.knowledge().assets()::contains).ifPresent(assets::add);
      }
      body.append("\n- ").append(a.name()).append(": ")
          .append(a.annotations().getOrDefault("description", a.annotations().getOrDefault("summary", "")))
          .append(" ").append(a.labels());
      started = a.startsAt().flatMap(AlertIntake::instant).filter(Instant.now()::isAfter)
          .filter(started::isAfter).orElse(started);
    }
    if (!unknown.isEmpty()) {
      body.append("\nNot known assets: ").append(String.join(", ", unknown)).append(" (").append(UNKNOWN_ASSETS)
          .append(").\n");
    }
    p.externalUrl().ifPresent(url -> body.append("\n\nAlertmanager: ").append(url));
    ObjectNode out = JSON.objectNode();
    out.put("title", SlackText.cut(title, Incident.MAX_TITLE));
    out.put("date", started.truncatedTo(ChronoUnit.SECONDS).toString());
    out.put("severity", severity(p.commonLabels().getOrDefault("severity", first.labels().getOrDefault("severity", ""))));
    out.put("status", "open");
    out.put("detected_by", "alert");
    symptoms.forEach(out.putArray("symptoms")::add);
    assets.forEach(out.putArray("assets")::add);
    out.put("body", body.toString());
    return out;
  }

  /** Asset labels of firing alerts that name no asset: left off the incident, and said so rather than dropped. */
  private List<String> unknownAssets(AlertmanagerPayload p) {
    return p.alerts().stream().filter(AlertmanagerPayload.Alert::firing)
        .flatMap(a -> ASSET_LABELS.stream().map(a.labels()::get))
        .filter(java.util.Objects::nonNull).filter(id -> !deps.knowledge().assets().contains(id)).distinct().toList();
  }

  static String severity(String label) {
    return switch (label.toLowerCase(Locale.ROOT)) {
      case "critical", "page", "sev1", "p1" -> "sev1";
      case "error", "major", "high", "sev2", "p2" -> "sev2";
      case "info", "low", "sev4", "p4" -> "sev4";
      default -> "sev3";
    };
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
