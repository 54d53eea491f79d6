package dev.rebound.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.retrieval.SearchHit;
import dev.rebound.retrieval.SearchQuery;
import dev.rebound.retrieval.SearchResult;
import dev.rebound.retrieval.Staleness;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rebound search QUERY [--kind …] [--k N] [--json]}. */
@Command(
    name = "search",
    description = {
      "Search runbooks, incidents, knowledge docs and assets by meaning and by words.",
      "%nEach hit shows why it matched: its rank among vector (meaning) matches and among full-text"
          + " matches ('-' when it was not a candidate there), and a snippet. Searches the index as"
          + " last built by `rebound index`; warns when files changed since."
    })
final class SearchCommand extends CliCommand {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Parameters(index = "0", arity = "1..*", paramLabel = "QUERY", description = "What is broken, in words.")
  java.util.List<String> words;

  @Option(names = "--kind", paramLabel = "KIND", description = "Only runbook, incident, doc or asset.")
  String kind;

  @Option(names = {"--k", "-k"}, paramLabel = "N", description = "How many hits (1-50, default 5).")
  String k;

  @Option(names = "--json", description = "Print the hits as JSON.")
  boolean json;

  @Override
  int run(CliContext context) {
    SearchQuery query = SearchQuery.parse(String.join(" ", words), kind, k);
    try (RetrievalDb db = RetrievalDb.open(context)) {
      SearchResult result = db.await(db.index().search().search(query), TIMEOUT);
      try {
        Staleness s = db.await(db.index().staleness(), TIMEOUT);
        if (s.stale()) {
          context.err().println("rebound: note: the index is " + s.describe());
        }
      } catch (RuntimeException e) {
        // staleness is advice; the search result stands
      }
      if (json) {
        context.out().println(JsonOutput.pretty(toJson(result)));
      } else {
        print(context.out(), result);
      }
      return OK;
    }
  }

  private static void print(PrintWriter out, SearchResult result) {
    if (result.hits().isEmpty()) {
      out.println("no matches");
      return;
    }
    int n = 1;
    for (SearchHit h : result.hits()) {
      out.printf(Locale.ROOT, "%d. [%s] %s — %s%n", n++, h.kind().wireName(), h.id(), h.title());
      out.printf(Locale.ROOT, "   score %.4f · vector rank %s · text rank %s · title words %.0f%% · overview rank %s%s%n",
          h.score(), rank(h.vectorRank()), rank(h.textRank()), 100 * h.titleCoverage(), rank(h.overviewRank()),
          h.source().isEmpty() ? "" : " · " + h.source());
      out.println("   " + (h.heading().isEmpty() ? "" : h.heading() + ": ") + h.snippet());
    }
    out.printf(Locale.ROOT, "(%d hits in %.0f ms, %s)%n", result.hits().size(), result.tookMs(), result.model());
  }

  private static String rank(Integer r) {
    return r == null ? "-" : r.toString();
  }

  private static ObjectNode toJson(SearchResult result) {
    ObjectNode body = JsonOutput.object();
    body.put("query", result.query().text());
    result.query().kind().ifPresentOrElse(x -> body.put("kind", x.wireName()), () -> body.putNull("kind"));
    body.put("k", result.query().k());
    body.put("model", result.model());
    ArrayNode hits = body.putArray("hits");
    for (SearchHit h : result.hits()) {
      ObjectNode o = hits.addObject();
      o.put("kind", h.kind().wireName());
      o.put("id", h.id());
      o.put("title", h.title());
      o.put("score", h.score());
      if (h.vectorRank() == null) {
        o.putNull("vector_rank");
      } else {
        o.put("vector_rank", h.vectorRank());
      }
      if (h.textRank() == null) {
        o.putNull("text_rank");
      } else {
        o.put("text_rank", h.textRank());
      }
      o.put("title_words", Math.round(h.titleCoverage() * 100) / 100.0);
      if (h.overviewRank() == null) {
        o.putNull("overview_rank");
      } else {
        o.put("overview_rank", h.overviewRank());
      }
      o.put("source", h.source());
      o.put("heading", h.heading());
      o.put("snippet", h.snippet());
    }
    return body;
  }
}
