package dev.rebound.cli;

import dev.rebound.inventory.RecoveryOrderView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rebound assets order ID… [--json]}. */
@Command(
    name = "order",
    description = {
      "In which order to recover after the given assets failed.",
      "%nThe failed assets and everything downstream, in waves, dependencies first; assets in one"
          + " wave can be worked on in parallel."
    })
final class AssetsOrderCommand extends CliCommand {
  @Parameters(arity = "1..*", paramLabel = "ID", description = "Failed asset ids from assets.yaml.")
  List<String> assetIds = new ArrayList<>();

  @Option(names = "--json", description = "Print JSON (the API's shape).")
  boolean json;

  @Override
  int run(CliContext context) {
    RecoveryOrderView view = RecoveryOrderView.of(
        AssetsCommand.ask(context, graph -> graph.recoveryOrder(new LinkedHashSet<>(assetIds))));
    if (json) {
      context.out().println(JsonOutput.pretty(view));
    } else {
      RecoveryOrderText.print(view, context.out());
    }
    return OK;
  }
}
