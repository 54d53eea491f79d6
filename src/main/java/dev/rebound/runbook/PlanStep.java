package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One step of a dry-run plan: what will be done (rendered, secrets masked, step outputs as
 * placeholders), how it is checked and undone, and who must approve it. {@code number} is
 * 1-based. {@code irreversible} is true for a mutating step without rollback.
 */
public record PlanStep(
    int number,
    String id,
    String title,
    Optional<String> description,
    Risk risk,
    boolean mutating,
    JsonNode action,
    String actionSummary,
    List<PlanCheck> verify,
    Optional<JsonNode> rollback,
    Optional<String> rollbackSummary,
    boolean irreversible,
    boolean idempotent,
    Duration timeout,
    Retries retries,
    List<String> targets,
    ApprovalPolicy.Requirement approval) {

  public PlanStep {
    action = action.deepCopy();
    verify = List.copyOf(verify);
    targets = List.copyOf(targets);
  }

  @Override
  public JsonNode action() {
    return action.deepCopy();
  }
}
