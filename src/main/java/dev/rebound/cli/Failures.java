package dev.rebound.cli;

import dev.rebound.error.ReboundException;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.InvalidKnowledgeException;
import dev.rebound.runbook.InvalidRunbookException;
import dev.rebound.yaml.YamlProblem;
import java.util.List;

/** Prints a failure as the contract says: one line per problem, a stack trace only when debugging. */
final class Failures {
  private Failures() {}

  static void print(CliContext context, ReboundException e) {
    for (String line : lines(e)) {
      context.err().println(context.names().inText(line));
    }
    if (context.debug()) {
      e.printStackTrace(context.err());
    }
  }

  static void printUnexpected(CliContext context, Exception e) {
    String message = e.getMessage() == null ? "" : ": " + oneLine(e.getMessage());
    context.err().println("rebound: unexpected error: " + e.getClass().getName() + context.names().inText(message));
    if (context.debug()) {
      e.printStackTrace(context.err());
    } else {
      context.err().println("rebound: run with REBOUND_DEBUG=1 for the stack trace");
    }
  }

  /**
   * Positioned problems keep the {@code file:line:col: message} form of lint (editors and grep
   * understand it); every other problem gets the {@code rebound:} prefix.
   */
  static List<String> lines(ReboundException e) {
    if (e instanceof InvalidRunbookException r) {
      return r.positionedProblems().stream().map(YamlProblem::toString).toList();
    }
    if (e instanceof InvalidKnowledgeException k) {
      return k.positionedProblems().stream().map(YamlProblem::toString).toList();
    }
    if (e instanceof ValidationException v) {
      return v.problems().stream().map(p -> "rebound: " + oneLine(p)).toList();
    }
    return List.of("rebound: " + oneLine(String.valueOf(e.getMessage())));
  }

  static String oneLine(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> a + " " + b).orElse("");
  }
}
