package dev.rebound.cli;

import dev.rebound.retrieval.bench.ScaleBenchmark;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code rebound bench scale [--data DIR] [--chunks N] [--rounds N] [--keep | --search-only DB]}. */
@Command(
    name = "scale",
    description = {
      "Search latency and HNSW recall at scale; indexing throughput.",
      "%nIn a scratch database: indexes the data set's runbooks (throughput, then a second run that"
          + " must embed nothing), adds synthetic filler up to --chunks, and measures search latency"
          + " (query embedding, database part, whole search) and recall@10 of HNSW against exact search."
          + " Takes a few minutes at 100k chunks on two cores."
    })
final class BenchScaleCommand extends CliCommand {
  @Mixin BenchInputs inputs;

  @Option(names = "--chunks", paramLabel = "N", description = "Total chunks in the index (default 100000).")
  int chunks = 100_000;

  @Option(names = "--rounds", paramLabel = "N", description = "Times each query is timed (default 3), after 3 untimed rounds of warm-up.")
  int rounds = 3;

  @Option(names = "--keep", description = "Keep the scratch database afterwards (its name is printed).")
  boolean keep;

  @Option(names = "--search-only", paramLabel = "DB",
      description = "Only the search latency, over the database an earlier --keep run printed, migrated to this build's schema first (seconds, not minutes).")
  String searchOnly;

  @Override
  int run(CliContext context) throws Exception {
    Path dir = inputs.dataDir(context, spec);
    if (chunks < 1000 || rounds < 1) {
      throw new ParameterException(spec.commandLine(), "--chunks must be at least 1000 and --rounds at least 1");
    }
    if (searchOnly != null && (keep || !searchOnly.startsWith("rebound_bench_scale_"))) {
      throw new ParameterException(spec.commandLine(), "--search-only takes the database a --keep run printed"
          + " (rebound_bench_scale_...), and not with --keep; got '" + searchOnly + "'");
    }
    var embedder = BenchInputs.embedder(context);
    var bench = new ScaleBenchmark(dir, context.config().database(), embedder, context.out(), chunks, rounds);
    if (searchOnly != null) {
      bench.searchOnly(searchOnly);
    } else {
      bench.keep(keep).run();
    }
    return OK;
  }
}
