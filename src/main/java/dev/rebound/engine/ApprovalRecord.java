package dev.rebound.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A row of {@code step_approvals}: one person's approval of one attempt of one step. */
public record ApprovalRecord(
    long id,
    String runId,
    String stepId,
    int attempt,
    String approver,
    String approverType,
    String role,
    String contentHash,
    String actionHash,
    List<String> targets,
    Instant createdAt,
    Instant expiresAt,
    Optional<Instant> usedAt,
    Optional<Instant> voidedAt,
    Optional<String> voidReason) {

  public ApprovalRecord {
    targets = List.copyOf(targets);
  }

  /** Neither used nor voided; may still have expired. */
  public boolean open() {
    return usedAt.isEmpty() && voidedAt.isEmpty();
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
