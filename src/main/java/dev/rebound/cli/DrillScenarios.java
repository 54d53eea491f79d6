package dev.rebound.cli;

import dev.rebound.demo.Fault;
import dev.rebound.drill.ScenarioCatalog;
import dev.rebound.drill.ScenarioLoader;
import dev.rebound.drill.ScenarioRefs;
import dev.rebound.runbook.ParamSpec;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The drill scenarios of the command's workspace ({@code drills/} beside {@code --runbooks}),
 * checked against the demo's faults, the runbooks and their parameters, and the assets.
 */
final class DrillScenarios {
  private DrillScenarios() {}

  static Path dir(CliContext context) {
    return context.runbooksDir().resolveSibling(ScenarioLoader.DIR);
  }

  static ScenarioCatalog load(CliContext context, RunbookCatalog runbooks, Set<String> assetIds) {
    Set<String> faults = Arrays.stream(Fault.values()).map(Fault::id).collect(Collectors.toSet());
    Map<String, List<ParamSpec>> params = runbooks.runbooks().stream()
        .collect(Collectors.toMap(Runbook::id, Runbook::params));
    return new ScenarioLoader(new ScenarioRefs(faults, params, assetIds)).loadDir(dir(context));
  }

  static ScenarioCatalog load(CliContext context) {
    context.requireDirectories();
    RunbookCatalog runbooks = RunbookCatalog.load(context.runbooksDir());
    KnowledgeFiles knowledge = KnowledgeFiles.load(context.knowledgeDir(), RunbookFiles.knownIds(runbooks));
    return load(context, runbooks, knowledge.assetIds());
  }
}
