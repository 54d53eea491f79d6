package dev.rebound.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rebound runs show RUN_ID [--json]}. */
@Command(name = "show", description = {"Show a run: its steps, what it waits for and from whom.",
    "%nThe action hash of the step awaiting approval is printed in full: it is what 'rebound runs approve'"
        + " binds, so review the action shown with it."})
final class RunsShowCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Option(names = "--json", description = "Print the run as the API returns it.")
  boolean json;

  @Override
  int run(CliContext context) {
    try (RunsSession session = RunsSession.open(context)) {
      ObjectNode run = session.db.await(session.runs.show(runId));
      if (json) {
        context.out().println(JsonOutput.pretty(run));
        return OK;
      }
      var out = context.out();
      out.println(run.path("id").asText() + "  " + run.path("runbook_id").asText() + "@v"
          + run.path("runbook_version").asInt() + "  " + run.path("state").asText()
          + (run.path("incident_id").isNull() ? "" : "  incident " + run.path("incident_id").asText())
          + "  requested by " + run.path("requested_by").asText());
      Table table = new Table("#", "STEP", "STATE", "ATTEMPT", "RISK", "SUMMARY / ERROR");
      for (JsonNode s : run.path("steps")) {
        String note = !s.path("error").isNull() ? s.path("error").asText() : s.path("summary").asText("");
        table.row(String.valueOf(s.path("index").asInt() + 1), s.path("id").asText(), s.path("state").asText(),
            String.valueOf(s.path("attempt").asInt()), s.path("risk").asText(), note);
      }
      table.print(out);
      JsonNode awaiting = run.path("awaiting");
      if (awaiting.path("what").asText().equals("approval")) {
        out.println();
        out.println("awaiting approval of step " + awaiting.path("step_id").asText() + " (attempt "
            + awaiting.path("attempt").asInt() + ", " + awaiting.path("risk").asText() + " risk, "
            + awaiting.path("approvals_required").asInt()
            + (awaiting.path("approvals_required").asInt() == 1 ? " approval" : " approvals") + " by "
            + awaiting.path("roles") + ")");
        out.println("  action:      " + awaiting.path("action"));
        out.println("  targets:     " + awaiting.path("targets"));
        out.println("  action hash: " + awaiting.path("action_hash").asText());
        out.println("  approve:     rebound runs approve " + run.path("id").asText() + " "
            + awaiting.path("step_id").asText() + " --as PERSON --action-hash " + awaiting.path("action_hash").asText());
      } else if (awaiting.isObject()) {
        printDecision(out, run.path("id").asText(), awaiting);
      } else if (!run.path("waiting_for").isNull()) {
        out.println();
        out.println("waiting for: " + run.path("waiting_for").asText());
      }
    }
    return OK;
  }

  /**
   * A run waiting for a person's decision (after a failed or rejected step, a failed run, or unmet
   * preconditions): what about, the options and who may take them. The CLI takes none of them
   * (it approves and rejects only), so each option is shown with its API route.
   */
  private static void printDecision(PrintWriter out, String runId, JsonNode awaiting) {
    String step = awaiting.path("step_id").asText("");
    out.println();
    out.println("awaiting a " + awaiting.path("what").asText() + (step.isEmpty() ? "" : " on step " + step) + ": "
        + awaiting.path("about").asText(""));
    if (awaiting.hasNonNull("who")) {
      out.println("  who:         " + awaiting.path("who").asText());
    }
    for (JsonNode option : awaiting.path("options")) {
      String route = switch (option.asText()) {
        case "retry" -> "/api/runs/" + runId + "/steps/" + step + "/retry";
        default -> "/api/runs/" + runId + "/" + option.asText();
      };
      out.printf("  %-12s POST %s (or the console's run view)%n", option.asText() + ":", route);
    }
  }
}
