package dev.rebound.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.drill.DrillFlag;
import dev.rebound.drill.DrillFlags;
import dev.rebound.drill.PgDrillStore;
import dev.rebound.runbook.RunbookCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
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
    context.config().unknownForcedRunbooks(catalog.ids()).forEach(w -> context.err().println("rebound: warning: " + w));
    ApprovalStates.Result states = noStatus
        ? ApprovalStates.unknown(context.config(), catalog.runbooks(), "not read (--no-status)")
        : ApprovalStates.read(context, catalog.runbooks());
    if (!noStatus) {
      states.unknownReason().ifPresent(r -> context.err().println("approval state unknown: " + r));
    }
    // Read only when the approval states were: an unreachable database is reported once.
    Map<String, DrillFlag> drills = noStatus || states.unknownReason().isPresent() ? Map.of()
        : drillFlags(context, catalog);
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
        if (drills.containsKey(s.runbook().id())) {
          item.set("drill", drills.get(s.runbook().id()).toJson());
        }
      }
      context.out().println(JsonOutput.pretty(out));
    } else {
      // The drill column comes from the database, like the approval state: left out with --no-status.
      Table table = noStatus ? new Table("ID", "VERSION", "APPROVAL", "ACTIVE", "TITLE")
          : new Table("ID", "VERSION", "APPROVAL", "ACTIVE", "DRILL", "TITLE");
      states.states().forEach(s -> {
        if (noStatus) {
          table.row(s.runbook().id(), "v" + s.runbook().version(), s.approvalText(), s.activeText(), s.runbook().title());
        } else {
          table.row(s.runbook().id(), "v" + s.runbook().version(), s.approvalText(), s.activeText(),
              drillText(drills.get(s.runbook().id())), s.runbook().title());
        }
      });
      table.print(context.out());
    }
    if (!catalog.problems().isEmpty()) {
      long files = catalog.problems().stream().map(p -> p.file()).distinct().count();
      context.err().println(Words.count(files, "runbook file")
          + " did not load and are not listed: run 'rebound lint' for the problems");
    }
    return OK;
  }

  /** Drill flags (last drill failed, too old, never drilled); none when the database is unreachable. */
  private static Map<String, DrillFlag> drillFlags(CliContext context, RunbookCatalog catalog) {
    try (Db db = Db.open(context.config().database(), Duration.ofSeconds(10))) {
      db.migrate();
      return db.await(new DrillFlags(new PgDrillStore(db.pool()), context.config().drills().maxAge(), Clock.systemUTC())
          .forRunbooks(catalog.ids()));
    } catch (RuntimeException e) {
      context.err().println("drill state unknown: " + e.getMessage());
      return Map.of();
    }
  }

  private static String drillText(DrillFlag flag) {
    if (flag == null) {
      return "?";
    }
    String last = flag.lastStatus().map(st -> st + " " + flag.lastAt().orElseThrow().toString().substring(0, 10))
        .orElse("never");
    String reason = flag.reason().length() > 60 ? flag.reason().substring(0, 59) + "…" : flag.reason();
    return flag.flagged() ? "FLAGGED (" + reason + ")" : last;
  }
}
