package dev.rebound.cli;

import picocli.CommandLine.Command;

/** {@code rebound runbooks …}: the runbook catalog and version approvals. */
@Command(
    name = "runbooks",
    description = "List runbooks and approve runbook versions.",
    subcommands = {RunbooksListCommand.class, RunbooksApproveCommand.class})
final class RunbooksCommand extends GroupCommand {}
