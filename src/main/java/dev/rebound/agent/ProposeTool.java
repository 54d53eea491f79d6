package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.error.ConflictException;
import dev.rebound.runbook.ParamBinder;
import dev.rebound.runbook.Runbook;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code propose_<runbook>}: one tool per runbook that may be started (approved content, active
 * here), its arguments typed from the runbook's parameter schema. Calling it creates a run in
 * state {@code proposed} through the engine, nothing more: the result is
 * {@code APPROVAL_REQUIRED} with what a person will be asked to approve. The version must be the
 * approved one the tool was built from; the parameters must satisfy the runbook's schemas.
 */
final class ProposeTool implements AgentTool {
  static final String PREFIX = "propose_";

  private final Runbook runbook;
  private final RecoveryRuns runs;

  ProposeTool(Runbook runbook, RecoveryRuns runs) {
    this.runbook = runbook;
    this.runs = runs;
  }

  static String nameFor(String runbookId) {
    return PREFIX + runbookId.replace('-', '_');
  }

  @Override
  public String name() {
    return nameFor(runbook.id());
  }

  @Override
  public String description() {
    return "Proposes a run of runbook " + runbook.id() + " v" + runbook.version() + " (\"" + runbook.title()
        + "\") for this incident. Creates a proposed run only: nothing executes until a person approves each step."
        + " Give the exact parameter values, why this runbook fits, and the sources (incident ids, document paths)"
        + " your evidence came from.";
  }

  @Override
  public ArgSchema schema() {
    return ArgSchema.builder()
        .integer("runbook_version", "must be " + runbook.version() + ", the approved version", 1, Integer.MAX_VALUE,
            true)
        .object("params", "the runbook's parameters", RunbookParams.offered(runbook), RunbookParams.names(runbook))
        .string("reason", "why this runbook fits this incident, in one or two sentences", 1000, true)
        .strings("evidence", "sources relied on: incident ids, runbook ids, document paths", 10, 200, true)
        .build();
  }

  @Override
  public boolean readOnly() {
    return false;
  }

  @Override
  public List<String> check(JsonNode args) {
    List<String> problems = new ArrayList<>();
    int version = args.path("runbook_version").asInt(-1);
    if (version != runbook.version()) {
      problems.add("runbook " + runbook.id() + " version " + version + " is not an approved version: only version "
          + runbook.version() + " (content sha256 " + runbook.contentHash().substring(0, 12)
          + "…) is approved and may be proposed");
    }
    problems.addAll(ParamBinder.bindJson(runbook, args.get("params")).errors());
    return problems;
  }

  /**
   * Proposes through the engine, which refuses a proposal while a run is active for the incident
   * (under a lock on the incident, so it holds for several calls of one answer, two turns or two
   * replicas). The menu offers propose tools only while no run is active; a call made after one
   * became active since the menu was built is refused here, in the engine's words, and nothing
   * was created: the refusal rolled the engine's transaction back.
   */
  @Override
  public Future<ToolOutcome> call(JsonNode args, TurnContext turn) {
    return propose(args, turn).recover(e -> e instanceof ConflictException
        ? Future.succeededFuture(ToolOutcome.refused("the engine refused the proposal, nothing was done: "
            + e.getMessage()))
        : Future.failedFuture(e));
  }

  private Future<ToolOutcome> propose(JsonNode args, TurnContext turn) {
    ObjectNode evidence = AgentJson.object();
    evidence.put("reason", args.get("reason").textValue());
    evidence.set("sources", args.get("evidence").deepCopy());
    return runs.propose(turn.incidentId(), runbook.id(), args.get("params"), turn.person())
        .map(run -> RequestStepTool.pendingOutcome(run, Optional.of(evidence),
            "Run " + run.id() + " of " + run.runbookId() + " v" + run.runbookVersion() + " was proposed. Nothing has"
                + " executed. A person must approve"));
  }

  static boolean looksLikeOne(String toolName) {
    return toolName.toLowerCase(Locale.ROOT).startsWith(PREFIX);
  }
}
