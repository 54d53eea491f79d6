package dev.rebound.cli;

import dev.rebound.retrieval.bench.IndexBenchmark;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rebound bench index [--data DIR]}: the indexing part of {@code bench scale} alone. */
@Command(
    name = "index",
    description = {
      "Indexing throughput: the data set's runbooks into an empty index (chunks/s, chars/s).",
      "%nIn a scratch database: embedding + inserts, a second run that must embed nothing, inserts"
          + " alone, embedding alone against langchain4j's stock session, and the most chunks/s the"
          + " cores' measured fp32 matrix-product rate allows the in-process model. The first part of"
          + " `bench scale`, without its 100k-chunk filler (seconds instead of minutes)."
    })
final class BenchIndexCommand extends CliCommand {
  @Mixin BenchInputs inputs;

  @Override
  int run(CliContext context) throws Exception {
    Path dir = inputs.dataDir(context, spec);
    var embedder = BenchInputs.embedder(context);
    IndexBenchmark.run(dir, context.config().database(), embedder, context.out());
    return OK;
  }
}
