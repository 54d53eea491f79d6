package dev.rebound.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A row of {@code run_steps} as stored. Actions appear only masked ({@code actionDisplay},
 * {@code undo}) with the hashes of their real renderings.
 */
public record StepRecord(
    String runId,
    int idx,
    String stepId,
    String title,
    String risk,
    StepState state,
    int attempt,
    Optional<String> actionHash,
    Optional<JsonNode> actionDisplay,
    String actionType,
    List<String> targets,
    boolean idempotent,
    boolean reversible,
    String idempotencyKey,
    Optional<JsonNode> undo,
    Optional<String> undoHash,
    String undoState,
    Optional<JsonNode> undoOutput,
    Optional<String> undoError,
    boolean actionDone,
    boolean mayHaveApplied,
    Optional<JsonNode> output,
    Optional<String> summary,
    Optional<String> error,
    Optional<String> leaseOwner,
    Optional<OffsetDateTime> leaseUntil,
    Optional<OffsetDateTime> awaitingSince,
    Optional<OffsetDateTime> startedAt,
    Optional<OffsetDateTime> finishedAt) {

  public StepRecord {
    targets = List.copyOf(targets);
  }
}
