package dev.rebound.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * What Rebound suggests without a model (guided mode, or a model that failed): the incident's run
 * in progress and what it waits for, the most similar past incidents and how they were resolved,
 * the runbooks that fit with why, and the step that waits for approval. {@code problems} says which part could not be computed (e.g. the index is
 * still being built), so a partial answer is never mistaken for a complete one.
 */
public record GuidedSuggestions(
    Optional<ActiveRun> activeRun,
    List<Similar> similarIncidents,
    List<Suggested> suggestedRunbooks,
    Optional<PendingApproval> nextStep,
    List<String> problems) {

  public GuidedSuggestions {
    similarIncidents = List.copyOf(similarIncidents);
    suggestedRunbooks = List.copyOf(suggestedRunbooks);
    problems = List.copyOf(problems);
  }

  /** The incident's run that is not finished: where it is and what it waits for. */
  public record ActiveRun(String id, String runbookId, int runbookVersion, String state, Optional<String> waitingFor) {
    static ActiveRun of(RecoveryRuns.RunView run) {
      return new ActiveRun(run.id(), run.runbookId(), run.runbookVersion(), run.state(), run.waitingFor());
    }
  }

  /** A similar incident; {@code status} is its wire name (open, mitigated, resolved). */
  public record Similar(String id, String title, String status, double score, List<String> reasons, String resolution,
      List<String> runbooksUsed) {

    /**
     * What a reader must know about a similar incident that is not resolved: one still open may be
     * the same problem, reported twice (an alert and a person, say), and has no resolution to follow.
     */
    public Optional<String> unresolvedNote() {
      return switch (status) {
        case "open" -> Optional.of("open now: possibly the same problem");
        case "mitigated" -> Optional.of("mitigated, not resolved yet");
        default -> Optional.empty();
      };
    }
  }

  /** A suggested runbook; {@code status} says whether it may be started (approved, active). */
  public record Suggested(String id, int version, String title, double score, List<String> reasons, String status,
      boolean startable) {}

  public ObjectNode toJson() {
    ObjectNode o = AgentJson.object();
    activeRun.ifPresentOrElse(r -> {
      ObjectNode run = o.putObject("active_run");
      run.put("id", r.id());
      run.put("runbook_id", r.runbookId());
      run.put("runbook_version", r.runbookVersion());
      run.put("state", r.state());
      AgentJson.putOptional(run, "waiting_for", r.waitingFor());
    }, () -> o.putNull("active_run"));
    ArrayNode similar = o.putArray("similar_incidents");
    for (Similar s : similarIncidents) {
      ObjectNode e = similar.addObject();
      e.put("id", s.id());
      e.put("title", s.title());
      e.put("status", s.status());
      e.put("score", Math.round(s.score() * 1000) / 1000.0);
      e.set("reasons", AgentJson.strings(s.reasons()));
      e.put("resolution", s.resolution());
      e.set("runbooks_used", AgentJson.strings(s.runbooksUsed()));
    }
    ArrayNode runbooks = o.putArray("suggested_runbooks");
    for (Suggested s : suggestedRunbooks) {
      ObjectNode e = runbooks.addObject();
      e.put("id", s.id());
      e.put("version", s.version());
      e.put("title", s.title());
      e.put("score", Math.round(s.score() * 1000) / 1000.0);
      e.set("reasons", AgentJson.strings(s.reasons()));
      e.put("status", s.status());
      e.put("startable", s.startable());
    }
    nextStep.ifPresentOrElse(n -> o.set("next_step", n.toJson()), () -> o.putNull("next_step"));
    o.set("problems", AgentJson.strings(problems));
    return o;
  }
}
