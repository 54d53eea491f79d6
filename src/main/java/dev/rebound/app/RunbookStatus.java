package dev.rebound.app;

import dev.rebound.db.RunbookApproval;
import java.util.List;

/**
 * Whether a runbook, as it is on disk now, may be started: approved (someone other than its author
 * approved exactly this content hash) and active in this environment.
 *
 * @param approvals approvals recorded for this id and version, including ones for other hashes
 * @param approved whether any approval matches the current content hash
 * @param changedSinceApproval the version was approved but its file changed afterwards
 */
public record RunbookStatus(
    String runbookId,
    int version,
    String contentHash,
    boolean approved,
    boolean changedSinceApproval,
    List<RunbookApproval> approvals,
    boolean active,
    String environment) {

  public boolean startable() {
    return approved && active;
  }

  /** One line for people: {@code approved by bob, active in production}. */
  public String describe() {
    String approval;
    if (approved) {
      approval =
          "approved by "
              + String.join(
                  ", ",
                  approvals.stream()
                      .filter(a -> a.contentHash().equals(contentHash))
                      .map(RunbookApproval::approvedBy)
                      .toList());
    } else if (changedSinceApproval) {
      approval = "NOT APPROVED: the file changed after version " + version + " was approved";
    } else {
      approval = "NOT APPROVED";
    }
    return approval + ", " + (active ? "active" : "INACTIVE") + " in " + environment;
  }
}
