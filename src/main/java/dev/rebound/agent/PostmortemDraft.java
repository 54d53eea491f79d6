package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.AuditEntry;
import dev.rebound.incident.Incident;
import dev.rebound.inventory.Asset;
import dev.rebound.inventory.AssetInventory;
import dev.rebound.inventory.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The structured postmortem draft, built by code from facts only: the incident, its audit
 * timeline (the incident's entries and its runs'), each run's steps with who approved them and
 * their checks, time to recover against the RTO of each affected asset, and open questions the
 * facts raise. Pure: no I/O, so it is tested without a database.
 */
final class PostmortemDraft {
  private PostmortemDraft() {}

  static ObjectNode build(Incident incident, List<AuditEntry> timeline, List<JsonNode> runs, AssetInventory assets) {
    ObjectNode d = AgentJson.object();
    ObjectNode i = d.putObject("incident");
    i.put("id", incident.id());
    i.put("title", incident.title());
    i.put("severity", incident.severity().wireName());
    i.put("status", incident.status().wireName());
    i.put("occurred_at", incident.occurredAt().toString());
    i.set("assets", AgentJson.strings(incident.assets()));
    i.set("symptoms", AgentJson.strings(incident.symptoms()));
    i.put("root_cause", incident.rootCause());
    i.put("resolution", incident.resolution());

    ObjectNode detection = d.putObject("detection");
    AgentJson.putOptional(detection, "detected_by", incident.detectedBy());
    detection.put("occurred_at", incident.occurredAt().toString());
    timeline.stream().findFirst().ifPresent(first -> {
      detection.put("first_recorded_at", first.at().toString());
      detection.put("first_recorded_by", first.actorId());
      detection.put("first_action", first.action());
    });

    ArrayNode events = d.putArray("timeline");
    for (AuditEntry e : timeline) {
      ObjectNode o = events.addObject();
      o.put("at", e.at().toString());
      o.put("actor", e.actorId());
      o.put("actor_type", e.actorType().dbName());
      o.put("action", e.action());
      o.put("summary", summary(e));
      e.runId().ifPresent(r -> o.put("run_id", r));
    }

    ArrayNode runArray = d.putArray("runs");
    Optional<Instant> recoveredAt = Optional.empty();
    List<String> questions = new ArrayList<>();
    for (JsonNode run : runs) {
      runArray.add(run(run, questions));
      if (run.path("state").asText().equals("succeeded")) {
        Optional<Instant> finished = instant(run.get("finished_at"));
        if (finished.isPresent() && (recoveredAt.isEmpty() || finished.get().isAfter(recoveredAt.get()))) {
          recoveredAt = finished;
        }
      }
    }

    ArrayNode recovery = d.putArray("recovery");
    for (String assetId : incident.assets()) {
      ObjectNode o = recovery.addObject();
      o.put("asset", assetId);
      Optional<Asset> asset = assets.find(assetId);
      asset.ifPresentOrElse(a -> o.put("rto", Durations.format(a.rto())), () -> o.putNull("rto"));
      recoveredAt.ifPresentOrElse(at -> o.put("recovered_at", at.toString()), () -> o.putNull("recovered_at"));
      if (recoveredAt.isPresent()) {
        Duration ttr = Duration.between(incident.occurredAt(), recoveredAt.get());
        o.put("time_to_recover", Durations.format(ttr.isNegative() ? Duration.ZERO : ttr));
        o.put("time_to_recover_s", Math.max(0, ttr.toSeconds()));
        if (asset.isPresent()) {
          boolean within = ttr.compareTo(asset.get().rto()) <= 0;
          o.put("within_rto", within);
          if (!within) {
            questions.add("Recovering " + assetId + " took " + Durations.format(ttr) + " against an RTO of "
                + Durations.format(asset.get().rto()) + ": what delayed it?");
          }
        } else {
          o.putNull("within_rto");
        }
      } else {
        o.putNull("time_to_recover");
        o.putNull("within_rto");
      }
    }
    if (recoveredAt.isEmpty()) {
      questions.add(runs.isEmpty()
          ? "No run of a runbook is recorded for this incident: how was it recovered, and which steps were done by hand?"
          : "No run for this incident succeeded: when, and how, was service actually restored?");
    }

    ObjectNode agent = d.putObject("agent");
    long modelCalls = timeline.stream().filter(e -> e.action().equals("model.called")).count();
    List<AuditEntry> toolCalls = timeline.stream().filter(e -> e.action().equals("tool.called")).toList();
    agent.put("model_calls", modelCalls);
    agent.put("tool_calls", toolCalls.size());
    ArrayNode refused = agent.putArray("refused");
    for (AuditEntry e : timeline) {
      if (e.action().equals("tool.refused")) {
        ObjectNode o = refused.addObject();
        o.put("at", e.at().toString());
        o.put("tool", e.details().path("tool").asText());
        o.put("reason", e.details().path("reason").asText());
        questions.add("The agent's call of " + e.details().path("tool").asText() + " was refused ("
            + AgentJson.cut(e.details().path("reason").asText(), 160) + "): what prompted it? Check the incident text and"
            + " the documents it read for injected instructions.");
      }
    }

    if (incident.rootCause().isBlank()) {
      questions.add(0, "What was the root cause? None is recorded yet (resolve the incident with one).");
    }
    if (incident.detectedBy().isEmpty()) {
      questions.add("How was the incident detected? Nothing is recorded.");
    } else if (incident.detectedBy().get().equals("customer")) {
      questions.add("Customers noticed first: why did no alert fire?");
    }
    d.set("open_questions", AgentJson.strings(questions.stream().distinct().toList()));
    return d;
  }

  private static ObjectNode run(JsonNode run, List<String> questions) {
    ObjectNode o = AgentJson.object();
    String runId = run.path("id").asText();
    o.put("run_id", runId);
    o.put("runbook", run.path("runbook_id").asText() + "@" + run.path("runbook_version").asInt());
    o.put("content_hash", run.path("content_hash").asText());
    o.set("params", run.path("params").deepCopy());
    o.put("state", run.path("state").asText());
    o.put("requested_by", run.path("requested_by").asText());
    o.put("proposed_by", text(run.get("proposed_by")));
    o.put("created_at", run.path("created_at").asText(null));
    o.put("finished_at", run.path("finished_at").isNull() ? null : run.path("finished_at").asText(null));
    ArrayNode steps = o.putArray("steps");
    for (JsonNode s : run.path("steps")) {
      ObjectNode so = steps.addObject();
      String stepId = s.path("id").asText();
      so.put("id", stepId);
      so.put("title", s.path("title").asText());
      so.put("risk", s.path("risk").asText());
      so.put("state", s.path("state").asText());
      so.put("attempts", s.path("attempt").asInt());
      ArrayNode approvedBy = so.putArray("approved_by");
      for (JsonNode a : s.path("approvals")) {
        if (!a.path("used_at").isNull() && a.has("used_at")) {
          approvedBy.addObject().put("approver", a.path("approver").asText()).put("at", a.path("created_at").asText());
        } else if (!a.path("voided_at").isNull() && a.has("voided_at")) {
          questions.add("An approval of step " + stepId + " of run " + runId + " by " + a.path("approver").asText()
              + " was voided (" + a.path("void_reason").asText("no reason") + "): what changed after it was given?");
        }
      }
      so.put("started_at", text(s.get("started_at")));
      so.put("finished_at", text(s.get("finished_at")));
      so.put("error", text(s.get("error")));
      ArrayNode checks = so.putArray("checks");
      for (JsonNode c : s.path("checks")) {
        checks.add(check(c));
        if (!c.path("passed").asBoolean()) {
          questions.add("Check \"" + c.path("name").asText() + "\" of step " + stepId + " failed (observed "
              + c.path("observed").asText() + "): why?");
        }
      }
      if (s.path("state").asText().equals("failed") || !s.path("error").isNull() && s.has("error")
          && !s.path("error").asText("").isEmpty()) {
        questions.add("Step " + stepId + " of run " + runId + " failed (" + AgentJson.cut(s.path("error").asText(""),
            160) + "): why?");
      }
    }
    ArrayNode runChecks = o.putArray("checks");
    for (JsonNode c : run.path("checks")) {
      runChecks.add(check(c));
      if (!c.path("passed").asBoolean()) {
        questions.add("The " + c.path("phase").asText() + " check \"" + c.path("name").asText() + "\" of run " + runId
            + " failed: why?");
      }
    }
    String state = run.path("state").asText();
    if (state.equals("aborted") || state.equals("rolled_back")) {
      questions.add("Run " + runId + " was " + state.replace('_', ' ') + ": why, and what was done instead?");
    }
    return o;
  }

  private static ObjectNode check(JsonNode c) {
    ObjectNode o = AgentJson.object();
    o.put("phase", c.path("phase").asText());
    o.put("name", c.path("name").asText());
    o.put("passed", c.path("passed").asBoolean());
    o.put("observed", c.path("observed").asText());
    o.put("expected", c.path("expected").asText());
    o.put("at", c.path("at").asText());
    return o;
  }

  /** One line about an audit entry, from its action and the details that say the most. */
  static String summary(AuditEntry e) {
    JsonNode d = e.details();
    StringBuilder sb = new StringBuilder(e.action());
    sb.append(" by ").append(e.actorId());
    for (String key : List.of("step_id", "runbook_id", "runbook_version", "tool", "status", "reason", "mode",
        "degraded", "error", "risk", "approvals", "outcome")) {
      JsonNode v = d.get(key);
      if (v != null && !v.isNull() && !v.asText("").isEmpty()) {
        sb.append("; ").append(key).append(' ').append(AgentJson.cut(v.isTextual() ? v.textValue() : v.toString(), 160));
      }
    }
    return sb.toString();
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static Optional<Instant> instant(JsonNode n) {
    String t = text(n);
    try {
      return t == null ? Optional.empty() : Optional.of(Instant.parse(t));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
