package dev.rebound.drill;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a runbook's recoverability is in doubt: its last drill failed, is older than the
 * configured age, or it was never drilled. {@code reason} says which, for people.
 */
public record DrillFlag(String runbookId, Optional<String> lastStatus, Optional<Instant> lastAt, boolean flagged,
    String reason) {

  /** {@code {"last_status", "last_at", "flagged", "reason"}}: the object search hits and runbook lists carry. */
  public ObjectNode toJson() {
    ObjectNode o = DrillReport.JSON.createObjectNode();
    o.put("last_status", lastStatus.orElse(null)).put("last_at", lastAt.map(Instant::toString).orElse(null))
        .put("flagged", flagged).put("reason", reason);
    return o;
  }
}
