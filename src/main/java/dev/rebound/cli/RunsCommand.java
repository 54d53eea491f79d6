package dev.rebound.cli;

import picocli.CommandLine.Command;

/** {@code rebound runs …}: runs of runbooks, and approving or rejecting their steps. */
@Command(
    name = "runs",
    description = "List and show runs; approve or reject a step as a named person.",
    subcommands = {RunsListCommand.class, RunsShowCommand.class, RunsApproveCommand.class, RunsRejectCommand.class})
final class RunsCommand extends GroupCommand {}
