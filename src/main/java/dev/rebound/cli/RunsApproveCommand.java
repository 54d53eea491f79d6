package dev.rebound.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code rebound runs approve RUN_ID STEP_ID --as PERSON --action-hash HASH [--json]}. */
@Command(name = "approve", description = {
    "Approve a step of a run as PERSON, with the same rules as the API: the person's team.yaml role must"
        + " reach the step's risk, a high-risk step needs two people other than the requester, and the"
        + " approval binds the action hash you reviewed ('rebound runs show' prints it). Refused (exit 1,"
        + " and audited) otherwise.",
    "%nThis command executes nothing: once a step has all its approvals, a running 'rebound serve'"
        + " claims it, re-checks everything right before execution, and runs it.",
    "%nTrust: the CLI takes --as at its word, so whoever can run this command against the database can"
        + " approve as anyone: restrict access to the database. The HTTP API records the authenticated"
        + " identity instead."})
final class RunsApproveCommand extends CliCommand {
  @Mixin RunStepArguments step;

  @Option(names = "--action-hash", required = true, paramLabel = "HASH",
      description = "The 64 hex digits of the action you reviewed.")
  String actionHash;

  @Option(names = "--json", description = "Print what the approval binds as JSON.")
  boolean json;

  @Override
  int run(CliContext context) {
    try (RunsSession session = RunsSession.open(context)) {
      ObjectNode binding = session.db.await(session.runs.approve(step.person, step.runId, step.stepId, actionHash));
      if (json) {
        context.out().println(JsonOutput.pretty(binding));
        return OK;
      }
      int given = binding.path("approvals").asInt();
      int required = binding.path("approvals_required").asInt();
      context.out().println("approved step " + step.stepId + " of " + step.runId + " (attempt " + binding.path("attempt").asInt()
          + ") as " + step.person + ": " + given + " of " + required + approvals(required)
          + ", action " + binding.path("action_hash").asText().substring(0, 12) + "…, expires "
          + binding.path("expires_at").asText());
      context.out().println(binding.path("step_approved").asBoolean()
          ? "the step is approved: a running service executes it"
          : "waiting for " + (required - given) + " more" + approvals(required - given) + " from someone else");
    }
    return OK;
  }

  private static String approvals(int n) {
    return n == 1 ? " approval" : " approvals";
  }
}
