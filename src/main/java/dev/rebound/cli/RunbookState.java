package dev.rebound.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.app.RunbookStatus;
import dev.rebound.db.RunbookApproval;
import dev.rebound.runbook.Runbook;
import java.util.Optional;

/**
 * A runbook's approval and activation as the CLI shows it. {@code status} is empty when the
 * approvals could not be read (database unreachable, or {@code --no-status}); activation comes
 * from configuration alone and is always known.
 */
record RunbookState(Runbook runbook, Optional<RunbookStatus> status, boolean active, String environment) {

  /** {@code feature-store-restore v1: NOT APPROVED, active in production}. */
  String line() {
    return runbook.id() + " v" + runbook.version() + ": " + describe();
  }

  String describe() {
    return status.map(RunbookStatus::describe)
        .orElseGet(() -> "approval state unknown, " + activeText() + " in " + environment);
  }

  /** Short form for tables: {@code approved (bruno)}, {@code NOT APPROVED (file changed)}, {@code unknown}. */
  String approvalText() {
    if (status.isEmpty()) {
      return "unknown";
    }
    RunbookStatus s = status.get();
    if (s.approved()) {
      return "approved (" + String.join(", ", approvers(s)) + ")";
    }
    return s.changedSinceApproval() ? "NOT APPROVED (file changed)" : "NOT APPROVED";
  }

  String activeText() {
    return active ? "active" : "INACTIVE";
  }

  ObjectNode toJson() {
    ObjectNode out = JsonOutput.object();
    if (status.isPresent()) {
      RunbookStatus s = status.get();
      out.put("approved", s.approved());
      ArrayNode by = out.putArray("approved_by");
      approvers(s).forEach(by::add);
      out.put("changed_since_approval", s.changedSinceApproval());
      out.put("startable", s.startable());
    } else {
      out.putNull("approved");
      out.putArray("approved_by");
      out.putNull("changed_since_approval");
      out.putNull("startable");
    }
    out.put("active", active);
    out.put("environment", environment);
    out.put("summary", describe());
    return out;
  }

  private static java.util.List<String> approvers(RunbookStatus s) {
    return s.approvals().stream()
        .filter(a -> a.contentHash().equals(s.contentHash()))
        .map(RunbookApproval::approvedBy)
        .toList();
  }
}
