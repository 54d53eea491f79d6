package dev.rebound.cli;

import picocli.CommandLine.Command;

/** {@code rebound bench scale}: placeholder until the scale harness lands. */
@Command(name = "scale", description = "Search latency and HNSW recall at 100k chunks; indexing throughput.")
final class BenchScaleCommand extends CliCommand {
  @Override
  int run(CliContext context) {
    return OK;
  }
}
