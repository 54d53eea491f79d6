package dev.rebound.agent;

import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools offered to the model in one state of the incident, and for tools that exist but are
 * not offered now, why not (so a refusal can say it). A call is checked against the menu of the
 * request the model answered, never against a later one.
 *
 * @param state {@code no_active_run} or {@code run_active}
 */
record ToolMenu(String state, Map<String, AgentTool> offered, Map<String, String> withheld,
    Optional<RecoveryRuns.RunView> activeRun) {

  static final String NO_ACTIVE_RUN = "no_active_run";
  static final String RUN_ACTIVE = "run_active";

  ToolMenu {
    offered = Collections.unmodifiableMap(new LinkedHashMap<>(offered));
    withheld = Collections.unmodifiableMap(new LinkedHashMap<>(withheld));
  }

  List<ToolSpecification> specifications() {
    return offered.values().stream().map(AgentTool::specification).toList();
  }

  Optional<AgentTool> tool(String name) {
    return Optional.ofNullable(offered.get(name));
  }

  /** Why {@code name} is not offered, when it is a tool that exists in another state. */
  Optional<String> whyWithheld(String name) {
    String exact = withheld.get(name);
    if (exact != null) {
      return Optional.of(exact);
    }
    if (ProposeTool.looksLikeOne(name)) {
      return Optional.of(activeRun.map(r -> proposalWhileActive(name, r)).orElse("'" + name + "' is not offered: there is no runbook by that name that may be started (see"
              + " search_runbooks and get_runbook)"));
    }
    if (RequestStepTool.looksLikeOne(name)) {
      return Optional.of(activeRun
          .map(r -> "'" + name + "' is not an allowed next step of run " + r.id() + " (state " + r.state()
              + "); allowed next: " + (r.allowedNextSteps().isEmpty() ? "none, the run waits for "
              + r.waitingFor().orElse("the engine") : String.join(", ", r.allowedNextSteps())))
          .orElse("'" + name + "' is not offered: no run was active for this incident when these tools were"
              + " listed. Propose a run first; a run proposed in this same answer offers its steps with the next"
              + " list"));
    }
    return Optional.empty();
  }

  /** Why {@code proposeTool} may not be called while {@code active} is the incident's active run. */
  private static String proposalWhileActive(String proposeTool, RecoveryRuns.RunView active) {
    return "'" + proposeTool + "' is not offered while run " + active.id() + " (" + active.runbookId() + ") is active"
        + " for this incident: only its allowed next steps may be requested; a person must finish or abort it first";
  }

  List<String> offeredNames() {
    return List.copyOf(offered.keySet());
  }
}
