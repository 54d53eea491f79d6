package dev.rebound.drill;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
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

  /**
   * The flag in a few calm words, as the console shows it: "last drill failed 3 days ago", "not
   * drilled in 45 days", "never drilled"; empty when the runbook is not flagged.
   */
  public Optional<String> summary(Instant now) {
    if (!flagged) {
      return Optional.empty();
    }
    if (lastAt.isEmpty()) {
      return Optional.of("never drilled");
    }
    long days = Math.max(0, Duration.between(lastAt.get(), now).toDays());
    if (!lastStatus.orElse("").equals("passed")) {
      return Optional.of("last drill failed " + (days == 0 ? "today" : days == 1 ? "yesterday" : days + " days ago"));
    }
    return Optional.of("not drilled in " + days + " days");
  }
}
