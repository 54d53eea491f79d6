package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.error.ConflictException;
import dev.rebound.error.ValidationException;
import dev.rebound.incident.Incident;
import dev.rebound.incident.IncidentStatus;
import dev.rebound.incident.RunbookRef;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolving an incident: records its root cause, resolution and the runbooks used (given, or
 * the runbooks of its runs that changed something), and, when it named no asset, the assets its
 * succeeded runs acted on; marks it resolved with its duration, stores
 * it and indexes it at once, so the next similar incident finds it. Audited as
 * {@code incident.resolved} by the person.
 *
 * <p>Built here from the incident package's public API ({@code PgIncidentStore.upsert}) and the
 * indexer, because {@code IncidentService} has no resolve operation yet; it belongs there. Only
 * incidents reported through the API can be resolved this way: an incident imported from a file
 * is changed by editing the file (the sync would undo a change made here).
 */
final class IncidentResolution {
  static final int MAX_TEXT = 4000;

  private final AgentDeps deps;

  IncidentResolution(AgentDeps deps) {
    this.deps = deps;
  }

  Future<Incident> resolve(String incidentId, JsonNode body, String caller) {
    List<String> problems = new ArrayList<>();
    String rootCause = text(body, "root_cause", problems);
    String resolution = text(body, "resolution", problems);
    Optional<List<RunbookRef>> given = refs(body, problems);
    if (body != null && body.isObject()) {
      body.fieldNames().forEachRemaining(f -> {
        if (!Set.of("root_cause", "resolution", "runbooks_used").contains(f)) {
          problems.add("unknown field '" + f + "' (known: root_cause, resolution, runbooks_used)");
        }
      });
    }
    if (!problems.isEmpty()) {
      return Future.failedFuture(new ValidationException(problems));
    }
    return deps.incidents().get(incidentId).compose(incident -> {
      if (incident.file().isPresent()) {
        return Future.failedFuture(new ConflictException("incident " + incidentId + " comes from "
            + incident.file().get() + ": record its root cause and resolution in that file"));
      }
      return runs(incidentId).compose(runs -> {
        List<RunbookRef> used = given.orElseGet(() -> usedRunbooks(runs));
        // An incident opened with no asset named (from Slack, or an alert without an asset label)
        // records what its recovery acted on, so similar incidents weigh shared assets with it.
        List<String> recovered = incident.assets().isEmpty() ? recoveredAssets(runs) : List.of();
        List<String> assets = incident.assets().isEmpty() ? recovered : incident.assets();
        Duration duration = Duration.between(incident.occurredAt(), Instant.now());
        Incident resolved = new Incident(incident.id(), incident.title(), incident.occurredAt(), incident.severity(),
            IncidentStatus.RESOLVED, assets, incident.symptoms(), incident.detectedBy(),
            Optional.of(duration.isNegative() ? Duration.ZERO : duration.withNanos(0)), rootCause, resolution, used,
            incident.body(), Optional.empty());
        Map<String, Object> details = new LinkedHashMap<>(Map.of("root_cause", rootCause, "resolution", resolution,
            "runbooks_used", used.stream().map(RunbookRef::toString).toList()));
        if (!recovered.isEmpty()) {
          details.put("assets_from_recovery", recovered);
        }
        return deps.incidents().store().upsert(resolved)
            .compose(v -> deps.indexer().upsert(List.of(resolved.document())))
            .compose(v -> deps.audit().append(AuditEvent.of(ActorType.HUMAN, caller, "incident.resolved", "incident",
                incidentId).withIncident(incidentId).withDetails(details)))
            .map(resolved);
      });
    });
  }

  /** The engine's view of each of the incident's runs, oldest first. */
  private Future<List<JsonNode>> runs(String incidentId) {
    return deps.runs().runIds(incidentId).compose(ids -> {
      List<Future<JsonNode>> views = ids.stream().map(id -> deps.runs().detail(id)).toList();
      return Future.all(views).map(done -> views.stream().map(Future::result).toList());
    });
  }

  /** The runbooks of the runs that got past their first step. */
  private static List<RunbookRef> usedRunbooks(List<JsonNode> runs) {
    Set<String> refs = new LinkedHashSet<>();
    for (JsonNode v : runs) {
      boolean acted = false;
      for (JsonNode s : v.path("steps")) {
        acted |= List.of("succeeded", "failed", "rolled_back").contains(s.path("state").asText());
      }
      if (acted) {
        refs.add(v.path("runbook_id").asText() + "@" + v.path("runbook_version").asInt());
      }
    }
    return refs.stream().map(r -> RunbookRef.parse(r).orElseThrow()).toList();
  }

  /** The known assets the succeeded steps of the succeeded runs acted on: what recovered the incident. */
  private List<String> recoveredAssets(List<JsonNode> runs) {
    Set<String> assets = new LinkedHashSet<>();
    for (JsonNode run : runs) {
      if (run.path("state").asText().equals("succeeded")) {
        for (JsonNode step : run.path("steps")) {
          if (step.path("state").asText().equals("succeeded")) {
            step.path("targets").forEach(t -> assets.add(t.asText()));
          }
        }
      }
    }
    return assets.stream().filter(deps.knowledge().assets()::contains).toList();
  }

  private static String text(JsonNode body, String field, List<String> problems) {
    JsonNode v = body == null ? null : body.get(field);
    if (v != null && !v.isNull() && !v.isTextual()) {
      problems.add(field + " must be a JSON string, not " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
          + " " + AgentJson.cut(v.toString(), 40));
      return "";
    }
    if (v == null || !v.isTextual() || v.textValue().isBlank()) {
      problems.add(field + " is required: a sentence or two");
      return "";
    }
    if (v.textValue().length() > MAX_TEXT) {
      problems.add(field + " is longer than " + MAX_TEXT + " characters");
    }
    return v.textValue().strip();
  }

  private static Optional<List<RunbookRef>> refs(JsonNode body, List<String> problems) {
    JsonNode v = body == null ? null : body.get("runbooks_used");
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      problems.add("runbooks_used must be a list like [\"feature-store-restore@3\"]");
      return Optional.empty();
    }
    List<RunbookRef> out = new ArrayList<>();
    for (JsonNode n : v) {
      Optional<RunbookRef> ref = n.isTextual() ? RunbookRef.parse(n.textValue()) : Optional.empty();
      ref.ifPresentOrElse(out::add, () -> problems.add("runbooks_used: " + n + " is not a runbook id like"
          + " feature-store-restore@3"));
    }
    return Optional.of(out);
  }
}
