package dev.rebound.cli;

import dev.rebound.retrieval.bench.UpsertBenchmark;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code rebound bench upsert [--data DIR] [--documents N] [--rounds N]}. */
@Command(
    name = "upsert",
    description = {
      "One document upserted into a large index (as POST /api/incidents does), in milliseconds.",
      "%nIn a scratch database filled with --documents synthetic documents: each round upserts one"
          + " changed incident, and recounts the term statistics in full (the baseline, what every"
          + " upsert waited for before they followed each run's changes). Filling takes minutes at 25k."
    })
final class BenchUpsertCommand extends CliCommand {
  @Mixin BenchInputs inputs;

  @Option(names = "--documents", paramLabel = "N", description = "Documents in the index (default 25000).")
  int documents = 25_000;

  @Option(names = "--rounds", paramLabel = "N", description = "Upserts timed (default 10).")
  int rounds = 10;

  @Override
  int run(CliContext context) throws Exception {
    Path dir = inputs.dataDir(context, spec);
    if (documents < 1 || rounds < 1) {
      throw new ParameterException(spec.commandLine(), "--documents and --rounds must be at least 1");
    }
    UpsertBenchmark.run(dir, context.config().database(), BenchInputs.embedder(context), context.out(), documents, rounds);
    return OK;
  }
}
