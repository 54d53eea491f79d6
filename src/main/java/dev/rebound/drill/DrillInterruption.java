package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The failure of a drill that did not end by itself, from its report as saved: in which phase it
 * stopped, why, what became of its run, and whether its fault may still be in place on the system
 * it drills, with how to clear it. A drill injects a real fault: whoever reads the report must
 * know what was left behind.
 */
final class DrillInterruption {
  /** The cause when the service was stopped (gracefully) while the drill ran. */
  static final String SHUTDOWN = "the service stopped";
  /** The cause when a new process finds the drill still running: its process is gone. */
  static final String ABANDONED = "the process running it stopped before it finished";

  /** Phases during which the fault may be injected (the report is saved before the injection). */
  private static final Set<String> FAULT_PHASES = Set.of("detecting", "recovering", "validating");
  private static final Set<String> RUN_OVER = Set.of("succeeded", "aborted", "rolled_back");

  private DrillInterruption() {}

  /** {@code report} as {@link DrillReport#toJson()} writes it (also the stored report). */
  static String describe(String cause, JsonNode report) {
    String phase = report.path("phase").asText("starting");
    StringBuilder s = new StringBuilder("interrupted during its ").append(phase).append(" phase: ").append(cause);
    String runId = report.path("run_id").asText(null);
    String runState = report.path("run_state").asText(null);
    if (runId != null) {
      s.append(runState != null && RUN_OVER.contains(runState) ? "; its run " + runId + " is " + runState
          : "; its run " + runId + " may still wait for a person: abort it (POST /api/runs/" + runId + "/abort)");
    }
    String fault = report.path("fault").asText();
    String demo = report.path("demo_url").asText("");
    String where = demo.isEmpty() ? "the demo system" : "the demo system at " + demo;
    if (!FAULT_PHASES.contains(phase)) {
      s.append("; its fault ").append(fault).append(" was not injected yet");
    } else if (report.path("demo_reset").asBoolean(false)) {
      s.append("; ").append(where).append(" was reset, its fault ").append(fault).append(" is gone");
    } else {
      s.append("; its fault ").append(fault).append(" may still be in place on ").append(where)
          .append(": reset it (POST ").append(demo.isEmpty() ? "DEMO_URL" : demo).append("/demo/reset with the demo's"
              + " admin token, or restart the demo system)");
    }
    return s.toString();
  }
}
