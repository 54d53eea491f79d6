package dev.rebound.cli;

import dev.rebound.app.DrillWiring;
import dev.rebound.demo.DemoPlatform;
import dev.rebound.drill.DemoControl;
import dev.rebound.drill.DrillReport;
import dev.rebound.drill.DrillService;
import dev.rebound.drill.Scenario;
import dev.rebound.drill.ScenarioCatalog;
import dev.rebound.error.NotFoundException;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code rebound drill SCENARIO [--json]}: runs one drill in this process against the demo
 * system at {@code drills.demo_url} (a running {@code serve --demo}), or, when none answers, a
 * demo system this command starts and stops. The report is stored in the database like the
 * service's, so {@code GET /api/drills} and {@code rebound drill history} show it.
 */
@Command(
    name = "drill",
    description = {
      "Break the demo system with a scenario's fault and recover it with the expected runbook.",
      "%nInjects the fault, waits for the runbook's checks to detect it, records which runbook search"
          + " finds for the symptom, runs the expected runbook through the engine as a drill run (approved"
          + " by the drill identity), validates, and reports detection and recovery time against each"
          + " asset's RTO. The demo system is reset afterwards, also on failure. Exit 1 when the drill fails."
    },
    subcommands = {DrillListCommand.class, DrillHistoryCommand.class})
final class DrillCommand extends CliCommand {
  private static final Duration INDEX_TIMEOUT = Duration.ofMinutes(10);

  @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", description = "A scenario id (rebound drill list).")
  String scenarioId;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  int run(CliContext context) {
    if (scenarioId == null) {
      throw new ParameterException(spec.commandLine(), "name a scenario (rebound drill list shows them)");
    }
    ScenarioCatalog catalog = DrillScenarios.load(context);
    Scenario scenario = catalog.get(scenarioId).orElseThrow(() -> new NotFoundException("no drill scenario '"
        + scenarioId + "' in " + context.names().of(DrillScenarios.dir(context)) + " (known: "
        + String.join(", ", catalog.ids()) + ")"));
    try (RetrievalDb db = RetrievalDb.open(context)) {
      // Before the demo system and the index are prepared: such a drill could only fail.
      DrillWiring.refusal(db.pool(), context.workspace(), scenario).ifPresent(why -> {
        throw DrillService.notStarted(scenario, why);
      });
      Demo demo = demo(context, db);
      var refresh = db.index().refreshIfStale();
      context.err().println("rebound: checking the search index (embeds what changed since it was built)");
      db.await(refresh, INDEX_TIMEOUT);
      DrillWiring drills = DrillWiring.standalone(db.vertx(), db.pool(), demo.drilling().workspace(), db.index(),
          demo.url());
      context.err().println("rebound: drill " + scenario.id() + " against " + demo.url() + " ...");
      context.err().flush();
      DrillReport report;
      try {
        report = drills.service().runNow(scenario);
      } finally {
        db.await(drills.stop(), Duration.ofSeconds(30));
      }
      if (json) {
        context.out().println(JsonOutput.pretty(report.toJson()));
      } else {
        DrillText.print(context.out(), report.toJson());
      }
      return report.status() == DrillReport.Status.PASSED ? OK : PROBLEMS;
    }
  }

  /** The demo system a drill breaks, and the invocation whose runbooks act on it. */
  private record Demo(URI url, CliContext drilling) {}

  /**
   * The configured demo system if it answers, else one started here (on Vert.x, stopped with it).
   * The runbooks and the scenarios' parameters then act on the one started here, wherever it
   * listens (its URLs, stores and admin token, unless set explicitly), as under {@code serve
   * --demo}: with the template variables' defaults they acted on whatever answered at port 8090,
   * or on nothing, and the drill failed before its fault was injected.
   */
  private static Demo demo(CliContext context, RetrievalDb db) {
    URI configured = context.config().drills().demoUrl();
    String token = context.config().templateEnv().value("DEMO_ADMIN_TOKEN").orElse("demo-admin-token");
    if (new DemoControl(configured, token).available()) {
      return new Demo(configured, context);
    }
    context.err().println("rebound: no demo system answers at " + configured
        + "; starting one in this process for the drill");
    DemoPlatform platform = DemoPlatformLauncher.start(db.vertx(), context, context.err());
    return new Demo(URI.create(platform.url()), context.withDefaults(DemoPlatformLauncher.settingsFor(platform)));
  }
}
