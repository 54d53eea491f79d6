package dev.rebound.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code rebound runs reject RUN_ID STEP_ID --as PERSON --reason TEXT}. */
@Command(name = "reject", description = {
    "Reject a step awaiting approval as PERSON (same rules as the API): it fails without running and the"
        + " run waits for retry, rollback or abort.",
    "%nTrust: as for 'runs approve', --as is taken at its word: restrict access to the database."})
final class RunsRejectCommand extends CliCommand {
  @Mixin RunStepArguments step;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why the step must not run.")
  String reason;

  @Override
  int run(CliContext context) {
    try (RunsSession session = RunsSession.open(context)) {
      session.db.await(session.runs.reject(step.person, step.runId, step.stepId, reason));
      context.out().println("rejected step " + step.stepId + " of " + step.runId + " as " + step.person + ": " + reason);
    }
    return OK;
  }
}
