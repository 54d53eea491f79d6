package dev.rebound.cli;

import dev.rebound.retrieval.EmbeddingSettings;
import dev.rebound.retrieval.bench.IndexBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code rebound bench index [--data DIR]}: the indexing part of {@code bench scale} alone. */
@Command(
    name = "index",
    description = {
      "Indexing throughput: the data set's runbooks into an empty index (chunks/s, chars/s).",
      "%nIn a scratch database: embedding + inserts, a second run that must embed nothing, inserts"
          + " alone, and embedding alone against langchain4j's stock session. The first part of"
          + " `bench scale`, without its 100k-chunk filler (seconds instead of minutes)."
    })
final class BenchIndexCommand extends CliCommand {
  @Option(names = "--data", paramLabel = "DIR", description = "Data set directory (default: ../shared/benchmarks/alert-to-runbook).")
  String data = "../shared/benchmarks/alert-to-runbook";

  @Override
  int run(CliContext context) throws Exception {
    Path dir = context.names().resolve(data);
    if (!Files.isRegularFile(dir.resolve("runbooks.jsonl"))) {
      throw new ParameterException(spec.commandLine(), "--data " + data + ": no runbooks.jsonl there");
    }
    var embedder = EmbeddingSettings.from(context.environment().variables(), context.config().model()).create();
    IndexBenchmark.run(dir, context.config().database(), embedder, context.out());
    return OK;
  }
}
