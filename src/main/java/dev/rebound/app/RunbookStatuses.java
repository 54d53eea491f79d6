package dev.rebound.app;

import dev.rebound.config.ReboundConfig;
import dev.rebound.db.RunbookApproval;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.engine.RunbookGate;
import dev.rebound.runbook.Runbook;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

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

  /**
   * The gate of the engine, drills and Slack's run form: a runbook may start when it is startable
   * (approved as it is on disk, and active); else {@code runbook ID vN cannot be started: why}.
   */
  public RunbookGate gate() {
    return runbook -> of(runbook).map(status -> status.startable() ? Optional.<String>empty()
        : Optional.of("runbook " + runbook.id() + " v" + runbook.version() + " cannot be started: "
            + status.describe()));
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
