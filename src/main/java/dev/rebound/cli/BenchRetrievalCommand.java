package dev.rebound.cli;

import dev.rebound.retrieval.SearchTuning;
import dev.rebound.retrieval.bench.RetrievalBenchmark;
import dev.rebound.retrieval.bench.Scores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code rebound bench retrieval [--data DIR]}: alert-to-runbook recall and MRR against BM25. */
@Command(
    name = "retrieval",
    description = {
      "Alert-to-runbook quality: recall@1/3/5 and MRR of Rebound's search and of a BM25 baseline.",
      "%nIndexes the data set's runbooks into a scratch database (created and dropped here; the"
          + " role needs CREATEDB), runs every alert's text and its description alone. Exit 1 when"
          + " the hybrid misses a target (r@1 >= 0.95 and MRR >= 0.97 on text, r@1 >= 0.85 on description)."
    })
final class BenchRetrievalCommand extends CliCommand {
  @Mixin BenchInputs inputs;

  @Option(names = "--variant", paramLabel = "RRFK:VECTOR:TEXT:TITLE[:OVERVIEW]", description = "Also score this fusion tuning (repeatable).")
  List<String> variants = new ArrayList<>();

  @Option(names = "--misses", description = "Print every query the hybrid does not rank first.")
  boolean misses;

  @Override
  int run(CliContext context) throws Exception {
    Path dir = inputs.dataDir(context, spec);
    List<SearchTuning> tunings = new ArrayList<>(List.of(SearchTuning.DEFAULT));
    for (String v : variants) {
      String[] parts = v.split(":");
      if (parts.length != 4 && parts.length != 5) {
        throw new ParameterException(spec.commandLine(), "--variant expects RRFK:VECTOR:TEXT:TITLE[:OVERVIEW], e.g. 60:1:1.5:1");
      }
      tunings.add(SearchTuning.DEFAULT.withRrfK(Integer.parseInt(parts[0]))
          .withWeights(Double.parseDouble(parts[1]), Double.parseDouble(parts[2]))
          .withTitleWeight(Double.parseDouble(parts[3]))
          .withOverviewWeight(parts.length == 5 ? Double.parseDouble(parts[4]) : 0));
    }
    var embedder = BenchInputs.embedder(context);
    Map<String, Scores> scores =
        new RetrievalBenchmark(dir, context.config().database(), embedder, context.out(), tunings).verbose(misses).run();
    Scores text = scores.get("text");
    Scores description = scores.get("description");
    boolean met = text.r1() >= 0.95 && text.mrr() >= 0.97 && description.r1() >= 0.85;
    context.out().printf("targets (r@1 >= 0.95, MRR >= 0.97 on text; r@1 >= 0.85 on description): %s%n",
        met ? "met" : "NOT met");
    return met ? OK : PROBLEMS;
  }
}
