package dev.rebound.cli;

import dev.rebound.drill.DrillRecord;
import dev.rebound.drill.DrillService;
import dev.rebound.drill.PgDrillStore;
import dev.rebound.drill.Scenario;
import dev.rebound.drill.ScenarioCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rebound drill list [--json]}: the scenarios and each one's last drill. */
@Command(name = "list", description = "List drill scenarios: id, fault, expected runbook, last drill.")
final class DrillListCommand extends CliCommand {
  @Option(names = "--json", description = "Print JSON, as GET /api/drills answers (with each drilled runbook's trend).")
  boolean json;

  @Override
  int run(CliContext context) {
    ScenarioCatalog catalog = DrillScenarios.load(context);
    if (json) {
      // No "last drills unknown" fallback here: JSON with every "last" null would read as never drilled.
      try (Db db = Db.open(context.config().database(), Duration.ofSeconds(10))) {
        db.migrate();
        context.out().println(JsonOutput.pretty(db.await(DrillService.list(catalog, new PgDrillStore(db.pool())))));
      }
      return problems(context, catalog);
    }
    Map<String, DrillRecord> last = Map.of();
    try (Db db = Db.open(context.config().database(), Duration.ofSeconds(10))) {
      db.migrate();
      List<DrillRecord> latest = db.await(new PgDrillStore(db.pool()).latestPerScenario());
      last = latest.stream().collect(Collectors.toMap(DrillRecord::scenarioId, r -> r));
    } catch (RuntimeException e) {
      context.err().println("last drills unknown: " + e.getMessage());
    }
    if (catalog.scenarios().isEmpty() && catalog.problems().isEmpty()) {
      // An empty table reads as "the listing failed"; say where scenarios are looked for.
      context.out().println("no drill scenarios in " + context.names().of(DrillScenarios.dir(context))
          + " (drills/*.yaml, beside the runbooks directory)");
      return OK;
    }
    Table table = new Table("ID", "FAULT", "RUNBOOK", "LAST DRILL", "TITLE");
    for (Scenario s : catalog.scenarios()) {
      DrillRecord r = last.get(s.id());
      String lastText = r == null ? "never" : r.status() + " " + r.startedAt().toString().substring(0, 16)
          + r.recoveryMs().map(ms -> " " + DrillText.seconds(ms)).orElse("");
      table.row(s.id(), s.fault(), s.expectedRunbook(), lastText, s.title());
    }
    table.print(context.out());
    return problems(context, catalog);
  }

  private static int problems(CliContext context, ScenarioCatalog catalog) {
    catalog.problems().forEach(p -> context.err().println(context.names().inText(p.toString())));
    return catalog.problems().isEmpty() ? OK : PROBLEMS;
  }
}
