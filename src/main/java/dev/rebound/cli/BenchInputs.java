package dev.rebound.cli;

import dev.rebound.retrieval.Embedder;
import dev.rebound.retrieval.EmbeddingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What every {@code bench} command measures with (a picocli mixin): the alert-to-runbook data set
 * ({@code --data DIR}) and the embedder configured as the service would use it.
 */
final class BenchInputs {
  @Option(names = "--data", paramLabel = "DIR", description = "Data set directory (default: ../shared/benchmarks/alert-to-runbook).")
  String data = "../shared/benchmarks/alert-to-runbook";

  /** The data set's directory; a usage error when it lacks the runbooks or the queries. */
  Path dataDir(CliContext context, CommandSpec spec) {
    Path dir = context.names().resolve(data);
    if (!Files.isRegularFile(dir.resolve("runbooks.jsonl")) || !Files.isRegularFile(dir.resolve("queries.jsonl"))) {
      throw new ParameterException(spec.commandLine(), "--data " + data + ": no runbooks.jsonl and queries.jsonl there");
    }
    return dir;
  }

  static Embedder embedder(CliContext context) {
    return EmbeddingSettings.from(context.environment().variables(), context.config().model()).create();
  }
}
