package dev.rebound.cli;

import dev.rebound.error.NotFoundException;
import dev.rebound.inventory.Asset;
import dev.rebound.inventory.AssetGraph;
import dev.rebound.inventory.Knowledge;
import dev.rebound.inventory.UnknownAssetException;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code rebound assets …}: questions asked of the inventory during an incident. */
@Command(
    name = "assets",
    description = "What a failure takes down, and in which order to recover.",
    subcommands = {AssetsImpactCommand.class, AssetsOrderCommand.class})
final class AssetsCommand extends GroupCommand {

  /**
   * The knowledge directory, failing with every problem when it does not load. Runbook
   * references ({@code recovery_runbooks}) are not checked here: that is lint's job, and an
   * impact answer must not wait for a runbook typo to be fixed.
   */
  static Knowledge knowledge(CliContext context) {
    context.requireDirectories();
    return Knowledge.load(context.knowledgeDir(), null).orElseThrow();
  }

  /**
   * {@code question} asked of the knowledge directory's asset graph. An id that names no asset
   * fails naming the file it is not in and the ids that are: the API's "asset 'x' not found" left
   * someone at a terminal to open assets.yaml to find the id they meant.
   */
  static <T> T ask(CliContext context, Function<AssetGraph, T> question) {
    Knowledge knowledge = knowledge(context);
    try {
      return question.apply(knowledge.graph());
    } catch (UnknownAssetException e) {
      throw new NotFoundException("asset '" + e.assetId() + "' not found in "
          + context.names().of(context.knowledgeDir().resolve(Knowledge.ASSETS_FILE)) + " (known: "
          + knowledge.assets().assets().stream().map(Asset::id).sorted().collect(Collectors.joining(", ")) + ")");
    }
  }
}
