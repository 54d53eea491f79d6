package dev.rebound.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.drill.DrillRecord;
import dev.rebound.drill.DrillTrend;
import dev.rebound.drill.PgDrillStore;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.Durations;
import dev.rebound.runbook.RunbookCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rebound drill history [--runbook ID] [--asset ID] [--json]}. */
@Command(name = "history", description = "Past drills, newest first, and the trend of recovery times.")
final class DrillHistoryCommand extends CliCommand {
  @Option(names = "--runbook", paramLabel = "ID", description = "Only drills of this runbook.")
  String runbook;

  @Option(names = "--asset", paramLabel = "ID", description = "Only drills affecting this asset.")
  String asset;

  @Option(names = "--limit", paramLabel = "N", description = "At most N drills (1-200, default 20).")
  int limit = 20;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  int run(CliContext context) {
    if (limit < 1 || limit > 200) {
      throw new ValidationException("limit must be between 1 and 200, got " + limit);
    }
    try (Db db = Db.open(context.config().database(), Duration.ofSeconds(30))) {
      db.migrate();
      List<DrillRecord> records = db.await(new PgDrillStore(db.pool())
          .history(Optional.ofNullable(runbook), Optional.ofNullable(asset), limit));
      DrillTrend trend = DrillTrend.of(records);
      if (json) {
        ObjectNode out = JsonOutput.object();
        ArrayNode list = out.putArray("drills");
        records.forEach(r -> list.add(r.report()));
        out.set("trend", trend.toJson());
        context.out().println(JsonOutput.pretty(out));
        return OK;
      }
      if (records.isEmpty()) {
        // "no drills of runbook X yet" about a misspelt id reads like a fact about a real runbook;
        // one that was drilled and has since been removed still has its history above.
        RunbookCatalog catalog = context.workspace().loadRunbooks();
        if (runbook != null && !RunbookFiles.knownIds(catalog).contains(runbook)) {
          throw new NotFoundException("no drills of runbook '" + runbook + "', and no such runbook in "
              + context.names().of(context.runbooksDir()) + " (" + RunbookFiles.known(catalog) + ")");
        }
        context.out().println("no drills" + (runbook == null ? "" : " of runbook " + runbook)
            + (asset == null ? "" : " affecting " + asset) + " yet: rebound drill list shows the scenarios");
        return OK;
      }
      Table table = new Table("DRILL", "SCENARIO", "RUNBOOK", "STATUS", "RECOVERY", "TARGET", "STARTED");
      for (DrillRecord r : records) {
        table.row(r.drillId(), r.scenarioId(), r.runbookId(), r.status(),
            recovery(r),
            r.withinRto().map(w -> w ? "within" : "MISSED").orElse("-"), r.startedAt().toString());
      }
      table.print(context.out());
      context.out().println("trend: " + trend.direction() + " (recovery times, newest first: "
          + trend.recoveryMs().stream().map(DrillText::seconds).toList() + ")");
      return OK;
    }
  }

  /** "4.6s / RTO 30m": within/MISSED beside it says little without the target it was judged against. */
  private static String recovery(DrillRecord r) {
    return r.recoveryMs().map(ms -> DrillText.seconds(ms)
        + r.rto().map(rto -> " / RTO " + Durations.format(rto)).orElse("")).orElse("-");
  }
}
