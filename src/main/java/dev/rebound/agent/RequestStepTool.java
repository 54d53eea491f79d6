package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.runbook.BoundParams;
import dev.rebound.runbook.ParamBinder;
import dev.rebound.runbook.Runbook;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code request_step_<step>}: one tool per allowed next step of the active run. The arguments
 * restate the run's parameters, typed from the runbook's schema, and must equal the values the
 * run is bound to: a step request can never change what the run acts on (a different snapshot
 * is a different run, which a person must approve from the start). Calling it asks a person to
 * approve the step; the result is {@code APPROVAL_REQUIRED} with exactly what the approval binds.
 */
final class RequestStepTool implements AgentTool {
  static final String PREFIX = "request_step_";

  private final RecoveryRuns.RunView run;
  private final RecoveryRuns.StepView step;
  private final Runbook runbook;
  private final RecoveryRuns runs;

  /** @param runbook the runbook exactly as the run was started from (same content hash) */
  RequestStepTool(RecoveryRuns.RunView run, RecoveryRuns.StepView step, Runbook runbook, RecoveryRuns runs) {
    this.run = run;
    this.step = step;
    this.runbook = runbook;
    this.runs = runs;
  }

  static String nameFor(String stepId) {
    return PREFIX + stepId.replace('-', '_');
  }

  @Override
  public String name() {
    return nameFor(step.id());
  }

  @Override
  public String description() {
    return "Asks a person to approve step '" + step.id() + "' (\"" + step.title() + "\", risk " + step.risk()
        + ") of run " + run.id() + " (" + run.runbookId() + " v" + run.runbookVersion() + "). Executes nothing."
        + " Restate the run's parameters exactly as bound: " + AgentJson.write(run.params()) + ".";
  }

  @Override
  public ArgSchema schema() {
    return ArgSchema.builder()
        .object("params", "the run's parameters, exactly as bound", RunbookParams.offered(runbook),
            RunbookParams.names(runbook))
        .string("reason", "why this step is the right next step now", 1000, true)
        .build();
  }

  @Override
  public boolean readOnly() {
    return false;
  }

  @Override
  public List<String> check(JsonNode args) {
    BoundParams given = ParamBinder.bindJson(runbook, args.get("params"));
    if (!given.isValid()) {
      return given.errors();
    }
    List<String> problems = new ArrayList<>();
    ObjectNode bound = given.toJson();
    for (String name : RunbookParams.names(runbook)) {
      JsonNode asked = bound.get(name);
      JsonNode actual = run.params().get(name);
      if (actual == null || !actual.equals(asked)) {
        problems.add("run " + run.id() + " is bound to " + name + "=" + (actual == null ? "nothing" : actual)
            + ", this request says " + asked + ": a step request cannot change what the run acts on; a different value"
            + " needs a new run, proposed after a person aborts this one");
      }
    }
    return problems;
  }

  @Override
  public Future<ToolOutcome> call(JsonNode args, TurnContext turn) {
    return runs.requestStep(run.id(), step.id(), turn.person())
        .map(after -> pendingOutcome(after, Optional.empty(),
            "Approval of step " + step.id() + " of run " + run.id() + " was requested. Nothing has executed."
                + " A person must approve"));
  }

  /**
   * {@code APPROVAL_REQUIRED} with whatever now waits for a person in {@code run}: the steps
   * awaiting approval, or (none yet) what the run waits for, e.g. failed preconditions.
   */
  static ToolOutcome pendingOutcome(RecoveryRuns.RunView run, Optional<JsonNode> evidence, String what) {
    List<PendingApproval> pending = new ArrayList<>();
    for (RecoveryRuns.StepView s : run.steps()) {
      if (s.state().equals("awaiting_approval")) {
        pending.add(PendingApproval.ofStep(run, s, evidence));
      }
    }
    ObjectNode data = AgentJson.object();
    data.put("message", what + (pending.isEmpty() ? " (the run waits for: " + run.waitingFor().orElse("nothing") + ")"
        : " in the console or Slack; you cannot approve it."));
    data.set("run", RunStatusTool.describe(run));
    data.set("awaiting_approval", AgentJson.MAPPER.valueToTree(pending.stream().map(PendingApproval::toJson).toList()));
    return ToolOutcome.approvalRequired(data, run.id(), pending);
  }

  static boolean looksLikeOne(String toolName) {
    return toolName.toLowerCase(Locale.ROOT).startsWith(PREFIX);
  }
}
