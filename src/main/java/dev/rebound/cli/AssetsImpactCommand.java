package dev.rebound.cli;

import dev.rebound.inventory.Impact;
import dev.rebound.inventory.ImpactReportView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rebound assets impact ID [--json]}. */
@Command(
    name = "impact",
    description = {
      "What a failed asset takes down, and the real deadline.",
      "%nEverything downstream (by dependency and lineage), nearest first, with the path from the"
          + " failure and each RTO; the tightest RTO among them is the deadline that counts."
    })
final class AssetsImpactCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "Asset id from assets.yaml.")
  String assetId;

  @Option(names = "--json", description = "Print JSON (the API's shape).")
  boolean json;

  @Override
  int run(CliContext context) {
    Impact impact = AssetsCommand.ask(context, graph -> graph.impact(assetId));
    ImpactReportView view = ImpactReportView.of(impact);
    if (json) {
      context.out().println(JsonOutput.pretty(view));
    } else {
      ImpactText.print(view, context.out());
    }
    return OK;
  }
}
