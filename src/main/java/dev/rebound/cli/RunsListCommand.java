package dev.rebound.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rebound runs list [--state S] [--incident ID] [--limit N] [--json]}. */
@Command(name = "list", description = "List runs, newest first: id, runbook, state, requester, what it waits for.")
final class RunsListCommand extends CliCommand {
  @Option(names = "--state", paramLabel = "STATE",
      description = "Only runs in this state: proposed, running, succeeded, failed, rolled_back, aborted.")
  String state;

  @Option(names = "--incident", paramLabel = "ID", description = "Only runs for this incident.")
  String incident;

  @Option(names = "--limit", paramLabel = "N", description = "At most N runs (1-500, default 50).")
  int limit = 50;

  @Option(names = "--json", description = "Print a JSON array.")
  boolean json;

  @Override
  int run(CliContext context) {
    try (RunsSession session = RunsSession.open(context)) {
      List<ObjectNode> runs = session.db.await(session.runs.list(Optional.ofNullable(state),
          Optional.ofNullable(incident), limit));
      if (json) {
        ArrayNode out = JsonOutput.array();
        runs.forEach(out::add);
        context.out().println(JsonOutput.pretty(out));
        return OK;
      }
      Table table = new Table("ID", "RUNBOOK", "STATE", "REQUESTED BY", "INCIDENT", "CREATED", "WAITING FOR");
      runs.forEach(r -> table.row(r.path("id").asText(),
          r.path("runbook_id").asText() + "@v" + r.path("runbook_version").asInt(), r.path("state").asText(),
          r.path("requested_by").asText(), r.path("incident_id").asText("-"), r.path("created_at").asText(),
          r.path("waiting_for").isNull() ? (r.path("work").isNull() ? "-" : "(engine: " + r.path("work").asText() + ")")
              : r.path("waiting_for").asText()));
      table.print(context.out());
      if (runs.isEmpty()) {
        context.err().println("no runs" + (state != null || incident != null ? " match" : " yet"));
      }
    }
    return OK;
  }
}
