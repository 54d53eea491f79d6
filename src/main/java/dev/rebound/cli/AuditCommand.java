package dev.rebound.cli;

import picocli.CommandLine.Command;

/** {@code rebound audit …}: the hash-chained audit log. */
@Command(
    name = "audit",
    description = "Verify and export the tamper-evident audit log.",
    subcommands = {AuditVerifyCommand.class, AuditExportCommand.class})
final class AuditCommand extends GroupCommand {}
