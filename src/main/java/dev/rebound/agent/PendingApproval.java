package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * Something that waits for a person, with exactly what their approval will bind, as the chat
 * answer shows it (and the console or Slack renders it as a button).
 *
 * @param kind {@code step}: an approval request for a step of a run (the only kind so far)
 * @param approvalsNeeded how many distinct people must approve (from the risk policy)
 * @param approvedBy who approved this attempt so far (live approvals only: not used, voided or expired)
 * @param binds run, runbook id and version, content hash, params, attempt, action hash, the
 *     masked action and the targets: what an approval is valid for, and nothing else
 * @param evidence what the agent said the proposal rests on (sources it quoted), for the approver
 * @param approvePath the API call a person makes to approve ({@code POST})
 */
public record PendingApproval(
    String kind,
    String runId,
    Optional<String> stepId,
    String title,
    String risk,
    int approvalsNeeded,
    List<String> approvedBy,
    ObjectNode binds,
    Optional<JsonNode> evidence,
    String approvePath) {

  public PendingApproval {
    approvedBy = List.copyOf(approvedBy);
    binds = binds.deepCopy();
  }

  public ObjectNode toJson() {
    ObjectNode o = AgentJson.object();
    o.put("kind", kind);
    o.put("run_id", runId);
    AgentJson.putOptional(o, "step_id", stepId);
    o.put("title", title);
    o.put("risk", risk);
    o.put("approvals_needed", approvalsNeeded);
    o.set("approved_by", AgentJson.strings(approvedBy));
    o.set("binds", binds.deepCopy());
    evidence.ifPresentOrElse(e -> o.set("evidence", e.deepCopy()), () -> o.putNull("evidence"));
    o.put("approve", "POST " + approvePath);
    return o;
  }

  /** The step's approval request, from the run as the engine reports it. */
  static PendingApproval ofStep(RecoveryRuns.RunView run, RecoveryRuns.StepView step, Optional<JsonNode> evidence) {
    int attempt = step.attempt() + 1;
    List<String> by = step.approvals().stream()
        .filter(a -> a.attempt() == attempt && a.usedAt().isEmpty() && a.voidedAt().isEmpty()
            && a.expiresAt().isAfter(java.time.Instant.now()))
        .map(RecoveryRuns.ApprovalView::approver).toList();
    ObjectNode binds = runBinding(run);
    binds.put("step_id", step.id());
    binds.put("attempt", attempt);
    step.actionHash().ifPresentOrElse(h -> binds.put("action_hash", h), () -> binds.putNull("action_hash"));
    step.action().ifPresentOrElse(a -> binds.set("action", a.deepCopy()), () -> binds.putNull("action"));
    binds.set("targets", AgentJson.strings(step.targets()));
    return new PendingApproval("step", run.id(), Optional.of(step.id()), step.title(), step.risk(),
        step.approvalsNeeded(), by, binds, evidence,
        "/api/runs/" + run.id() + "/steps/" + step.id() + "/approve");
  }

  private static ObjectNode runBinding(RecoveryRuns.RunView run) {
    ObjectNode binds = AgentJson.object();
    binds.put("run_id", run.id());
    binds.put("runbook_id", run.runbookId());
    binds.put("runbook_version", run.runbookVersion());
    binds.put("content_hash", run.contentHash());
    binds.set("params", run.params().deepCopy());
    return binds;
  }
}
