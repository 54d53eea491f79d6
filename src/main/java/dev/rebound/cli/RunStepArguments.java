package dev.rebound.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** RUN_ID STEP_ID --as PERSON: which step, and who acts on it (a picocli mixin). */
final class RunStepArguments {
  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Parameters(index = "1", paramLabel = "STEP_ID")
  String stepId;

  @Option(names = "--as", required = true, paramLabel = "PERSON", description = "Person id from team.yaml.")
  String person;
}
