package dev.rebound.app;

import dev.rebound.config.ReboundConfig;
import dev.rebound.db.RunbookApproval;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.runbook.Runbook;
import io.vertx.core.Future;
import java.util.List;

/** Computes {@link RunbookStatus} from the approval store and the configured environment. */
public final class RunbookStatuses {
  private final RunbookApprovalStore approvals;
  private final ReboundConfig config;

  public RunbookStatuses(RunbookApprovalStore approvals, ReboundConfig config) {
    this.approvals = approvals;
    this.config = config;
  }

  public Future<RunbookStatus> of(Runbook runbook) {
    return approvals.list(runbook.id(), runbook.version()).map(list -> status(runbook, list));
  }

  public boolean isActive(Runbook runbook) {
    return runbook.isActiveIn(config.environment(), config.activeRunbooks(), config.inactiveRunbooks());
  }

  private RunbookStatus status(Runbook runbook, List<RunbookApproval> list) {
    boolean approved = list.stream().anyMatch(a -> a.contentHash().equals(runbook.contentHash()));
    return new RunbookStatus(
        runbook.id(),
        runbook.version(),
        runbook.contentHash(),
        approved,
        !approved && !list.isEmpty(),
        list,
        isActive(runbook),
        config.environment());
  }
}
