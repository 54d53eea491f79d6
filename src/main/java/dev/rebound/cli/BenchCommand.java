package dev.rebound.cli;

import picocli.CommandLine.Command;

/** {@code rebound bench …}: retrieval benchmarks, each in a scratch database. */
@Command(
    name = "bench",
    description = "Measure retrieval: quality on real alerts, and speed at scale.",
    subcommands = {BenchRetrievalCommand.class, BenchIndexCommand.class, BenchScaleCommand.class,
        BenchUpsertCommand.class})
final class BenchCommand extends GroupCommand {}
