package dev.rebound.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.runbook.RunbookCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rebound runbooks list [--json]}. */
@Command(name = "list", description = "List runbooks: id, version, approval, whether active here, title.")
final class RunbooksListCommand extends CliCommand {
  @Option(names = "--json", description = "Print a JSON array.")
  boolean json;

  @Option(names = "--no-status", description = "Do not read approval state from the database.")
  boolean noStatus;

  @Override
  int run(CliContext context) {
    RunbookCatalog catalog = context.workspace().loadRunbooks();
    ApprovalStates.Result states = noStatus
        ? ApprovalStates.unknown(context.config(), catalog.runbooks(), "not read (--no-status)")
        : ApprovalStates.read(context, catalog.runbooks());
    if (!noStatus) {
      states.unknownReason().ifPresent(r -> context.err().println("approval state unknown: " + r));
    }
    if (json) {
      ArrayNode out = JsonOutput.array();
      for (RunbookState s : states.states()) {
        ObjectNode item = out.addObject();
        item.put("id", s.runbook().id());
        item.put("version", s.runbook().version());
        item.put("title", s.runbook().title());
        item.put("file", context.names().inText(s.runbook().file()));
        item.put("content_hash", s.runbook().contentHash());
        item.set("status", s.toJson());
      }
      context.out().println(JsonOutput.pretty(out));
    } else {
      Table table = new Table("ID", "VERSION", "APPROVAL", "ACTIVE", "TITLE");
      states.states().forEach(s -> table.row(s.runbook().id(), "v" + s.runbook().version(), s.approvalText(),
          s.activeText(), s.runbook().title()));
      table.print(context.out());
    }
    if (!catalog.problems().isEmpty()) {
      long files = catalog.problems().stream().map(p -> p.file()).distinct().count();
      context.err().println(Words.count(files, "runbook file")
          + " did not load and are not listed: run 'rebound lint' for the problems");
    }
    return OK;
  }
}
