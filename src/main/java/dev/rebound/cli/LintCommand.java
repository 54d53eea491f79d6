package dev.rebound.cli;

import dev.rebound.runbook.LintFinding;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rebound lint [PATH…]}: schema and semantic checks, one {@code file:line:col: message} line each. */
@Command(
    name = "lint",
    description = {
      "Check runbooks and knowledge files.",
      "%nEach problem prints as file:line:col: message (warnings as file:line:col: warning: message);"
          + " exit 1 on any error, warnings do not fail. Then the approval state of each runbook, read"
          + " from the database when it is reachable: lint never fails because the database is not."
    })
final class LintCommand extends CliCommand {
  @Parameters(
      paramLabel = "PATH",
      arity = "0..*",
      description = "Runbook files or directories; assets.yaml, team.yaml or a directory with them;"
          + " incident files (*.md) or an incidents directory. Default: every runbook in --runbooks, and"
          + " assets.yaml, team.yaml and incidents/*.md in --knowledge.")
  List<String> paths = new ArrayList<>();

  @Option(names = "--no-status", description = "Do not read approval state from the database.")
  boolean noStatus;

  @Override
  int run(CliContext context) {
    LintRun lint = paths.isEmpty() ? LintRun.everything(context) : LintRun.of(context, paths);
    for (LintFinding finding : lint.findings()) {
      context.out().println(context.names().inText(finding.toString()));
    }
    if (!noStatus && !lint.runbooks().isEmpty()) {
      ApprovalStates.Result states = ApprovalStates.read(context, lint.runbooks());
      if (states.unknownReason().isPresent()) {
        context.err().println("approval state unknown: " + states.unknownReason().get());
      } else {
        states.states().forEach(s -> context.out().println(s.line()));
      }
    }
    context.err().println(lint.summary());
    return lint.errors() > 0 ? PROBLEMS : OK;
  }
}
