package dev.rebound.cli;

import dev.rebound.app.RunbookStatus;
import dev.rebound.app.RunbookStatuses;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.runbook.Runbook;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Reads the approval state of runbooks for lint, plan and list. Best effort by design: these
 * commands must work offline (lint runs in the CI of runbook repositories), so an unreachable
 * database gives "unknown" and a reason, never a failure. Read-only: never migrates.
 */
final class ApprovalStates {
  static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final String UNDEFINED_TABLE = "42P01";

  /** One state per runbook, in the order given; {@code unknownReason} says why approvals are unknown. */
  record Result(List<RunbookState> states, Optional<String> unknownReason) {}

  private ApprovalStates() {}

  static Result read(CliContext context, List<Runbook> runbooks) {
    ReboundConfig config = context.config();
    if (runbooks.isEmpty()) {
      return new Result(List.of(), Optional.empty());
    }
    try (Db db = context.openDb(TIMEOUT)) {
      RunbookStatuses statuses = new RunbookStatuses(new RunbookApprovalStore(db.pool()), config);
      List<RunbookState> states = new ArrayList<>();
      for (Runbook runbook : runbooks) {
        RunbookStatus status = db.await(statuses.of(runbook));
        states.add(new RunbookState(runbook, Optional.of(status), status.active(), status.environment()));
      }
      return new Result(states, Optional.empty());
    } catch (RuntimeException e) {
      return unknown(config, runbooks, reason(e));
    }
  }

  /** Without asking the database (e.g. {@code --no-status}). */
  static Result unknown(ReboundConfig config, List<Runbook> runbooks, String reason) {
    List<RunbookState> states = runbooks.stream()
        .map(r -> new RunbookState(r, Optional.empty(),
            r.isActiveIn(config.environment(), config.activeRunbooks(), config.inactiveRunbooks()),
            config.environment()))
        .toList();
    return new Result(states, Optional.of(reason));
  }

  private static String reason(Throwable e) {
    if (unreachable(e)) {
      return "database unreachable (" + Db.describe(e) + ")";
    }
    if (sqlState(e).equals(UNDEFINED_TABLE)) {
      return "the database is not migrated yet, so no approval is recorded ('rebound serve' migrates it)";
    }
    return "cannot read approvals (" + Db.describe(e) + ")";
  }

  private static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PgException pg && pg.getSqlState() != null) {
        return pg.getSqlState();
      }
    }
    return "";
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }
}
