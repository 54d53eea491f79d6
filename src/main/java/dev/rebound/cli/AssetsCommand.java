package dev.rebound.cli;

import dev.rebound.inventory.Knowledge;
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
}
