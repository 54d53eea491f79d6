package dev.rebound.cli;

import dev.rebound.app.KnowledgeIndex;
import dev.rebound.incident.IncidentSync;
import dev.rebound.retrieval.IndexReport;
import dev.rebound.retrieval.Staleness;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rebound index [--reindex] [--check]}: bring the search index up to date. */
@Command(
    name = "index",
    description = {
      "Index runbooks, knowledge docs, assets and incidents for search.",
      "%nSyncs knowledge/incidents/*.md into the database, then embeds only what changed since the"
          + " last run (content hash per document) and removes what was deleted. Ends with the counts"
          + " and the time. When the configured embedding model differs from the one the index was"
          + " built with, it refuses (exit 1) until run with --reindex."
    })
final class IndexCommand extends CliCommand {
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  @Option(names = "--reindex", description = "Drop the index and rebuild it with the configured embedding model.")
  boolean reindex;

  @Option(names = "--check", description = "Only report staleness (files changed since indexing); exit 1 when stale.")
  boolean check;

  @Override
  int run(CliContext context) {
    PrintWriter out = context.out();
    try (RetrievalDb db = RetrievalDb.open(context)) {
      KnowledgeIndex index = db.index();
      if (check) {
        Staleness s = db.await(index.staleness(), TIMEOUT);
        out.println("index: " + s.describe());
        s.added().forEach(k -> out.println("  new      " + k));
        s.changed().forEach(k -> out.println("  changed  " + k));
        s.removed().forEach(k -> out.println("  removed  " + k));
        return s.stale() || s.reindexRequired().isPresent() ? PROBLEMS : OK;
      }
      out.println((reindex ? "rebuilding" : "updating") + " the index with " + index.indexer().embedder().model() + " …");
      out.flush();
      KnowledgeIndex.Refresh refresh = db.await(index.refresh(reindex, (done, total, chunks) -> {
        out.printf(Locale.ROOT, "  embedded %d/%d documents (%d chunks)%n", done, total, chunks);
        out.flush();
      }), TIMEOUT);
      refresh.problems().forEach(p -> context.err().println(context.names().inText(p.toString())));
      IncidentSync.Report inc = refresh.incidents();
      out.printf(Locale.ROOT, "incidents: %d added, %d updated, %d unchanged, %d removed%n",
          inc.added(), inc.updated(), inc.unchanged(), inc.removed());
      IndexReport r = refresh.index();
      out.printf(Locale.ROOT, "index: %d added, %d updated, %d unchanged, %d removed; embedded %d chunks in %.1f s (%.0f chunks/s, %s)%n",
          r.added(), r.updated(), r.unchanged(), r.removed(), r.embeddedChunks(), r.took().toMillis() / 1000.0,
          r.chunksPerSecond(), r.model());
      if (!refresh.problems().isEmpty()) {
        context.err().println("rebound: " + Words.count(refresh.problems().size(), "file problem")
            + " above: those files are not indexed (or keep their previous version)");
        return PROBLEMS;
      }
      return OK;
    }
  }
}
