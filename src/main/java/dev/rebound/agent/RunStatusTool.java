package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

/** {@code get_run}: the incident's active run, its steps, and which steps may be requested next. */
final class RunStatusTool implements AgentTool {
  private final RecoveryRuns runs;

  RunStatusTool(RecoveryRuns runs) {
    this.runs = runs;
  }

  @Override
  public String name() {
    return "get_run";
  }

  @Override
  public String description() {
    return "Read-only. The incident's active run (if any): runbook and version, bound parameters, state, what it"
        + " waits for, each step's state, and the steps that may be requested next.";
  }

  @Override
  public ArgSchema schema() {
    return ArgSchema.none();
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Future<ToolOutcome> call(JsonNode args, TurnContext turn) {
    return runs.activeRun(turn.incidentId()).map(found -> {
      ObjectNode data = AgentJson.object();
      if (found.isEmpty()) {
        data.putNull("run");
        data.put("note", "no run is active for this incident");
        return ToolOutcome.ok(data);
      }
      data.set("run", describe(found.get()));
      return ToolOutcome.ok(data);
    });
  }

  static ObjectNode describe(RecoveryRuns.RunView run) {
    ObjectNode o = AgentJson.object();
    o.put("run_id", run.id());
    o.put("runbook_id", run.runbookId());
    o.put("runbook_version", run.runbookVersion());
    o.set("params", run.params().deepCopy());
    o.put("state", run.state());
    o.put("requested_by", run.requestedBy());
    AgentJson.putOptional(o, "proposed_by", run.proposedBy());
    AgentJson.putOptional(o, "waiting_for", run.waitingFor());
    ArrayNode steps = o.putArray("steps");
    for (RecoveryRuns.StepView s : run.steps()) {
      ObjectNode so = steps.addObject();
      so.put("id", s.id());
      so.put("title", s.title());
      so.put("risk", s.risk());
      so.put("state", s.state());
    }
    o.set("allowed_next_steps", AgentJson.strings(run.allowedNextSteps()));
    return o;
  }
}
