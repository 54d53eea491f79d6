package dev.rebound.engine;

import java.util.List;

/** The {@code waiting_for} texts: why a run is paused and who must act, for people. */
final class Waiting {
  static final String INTERRUPTED_ERROR = "interrupted while running; not idempotent, outcome unknown:"
      + " a person must check the target and choose retry, rollback or abort";

  private Waiting() {}

  static String approval(String stepId) {
    return "approval of step " + stepId;
  }

  static String approvalProgress(String stepId, int have, int need, List<String> by) {
    return "approval of step " + stepId + ": " + have + " of " + need + " approvals so far ("
        + String.join(", ", by) + ")";
  }

  static String decision(String stepId) {
    return "decision after failed step " + stepId + ": retry, rollback or abort";
  }

  static String rejected(String stepId, String by) {
    return "decision after step " + stepId + " was rejected by " + by + ": retry, rollback or abort";
  }

  static String interrupted(String stepId) {
    return "a person: step " + stepId + " was interrupted and is not idempotent; check the target,"
        + " then retry, rollback or abort";
  }

  static String preconditions() {
    return "preconditions are being checked";
  }

  static String preconditionsFailed(List<String> names) {
    return "preconditions failed (" + String.join(", ", names) + "): fix the cause, then recheck or abort";
  }

  static String runbookChanged() {
    return "a person: the runbook file changed after the run started; abort and start a new run";
  }
}
