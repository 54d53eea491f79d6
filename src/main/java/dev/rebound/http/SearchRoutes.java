package dev.rebound.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.inventory.Role;
import dev.rebound.retrieval.HybridSearch;
import dev.rebound.retrieval.SearchHit;
import dev.rebound.retrieval.SearchQuery;
import dev.rebound.retrieval.SearchResult;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/search?q=…&kind=runbook|incident|doc|asset&k=N} (viewer): hybrid search over
 * runbooks, knowledge docs, assets and incidents. Each hit says why it matched: its rank on the
 * vector side and on the full-text side (null when it was not a candidate there) and a snippet.
 * Bad parameters, and unknown or repeated ones, are a 400 naming every problem.
 */
public final class SearchRoutes implements ApiRoutes {
  private static final java.util.List<String> PARAMS = java.util.List.of("q", "kind", "k");

  private final HybridSearch search;
  private final java.util.List<RunbookAnnotations> annotations;

  public SearchRoutes(HybridSearch search) {
    this(search, java.util.List.of());
  }

  /** Runbook hits also carry each annotation (e.g. the drill flag) under its field. */
  public SearchRoutes(HybridSearch search, java.util.List<RunbookAnnotations> annotations) {
    this.search = search;
    this.annotations = java.util.List.copyOf(annotations);
  }

  @Override
  public void mount(Router router, Authz authz) {
    router.get("/api/search").handler(authz.require(Role.VIEWER)).handler(this::search);
  }

  private void search(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      MultiMap params = ctx.queryParams();
      QueryParams.require(params, PARAMS);
      SearchQuery query = SearchQuery.parse(params.get("q"), params.get("kind"), params.get("k"));
      return search.search(query).map(SearchRoutes::json).compose(this::annotate);
    });
  }

  private io.vertx.core.Future<ObjectNode> annotate(ObjectNode body) {
    java.util.List<ObjectNode> runbooks = new java.util.ArrayList<>();
    body.path("hits").forEach(h -> {
      if (h.path("kind").asText().equals("runbook")) {
        runbooks.add((ObjectNode) h);
      }
    });
    return RunbookAnnotations.annotate(annotations, runbooks).map(body);
  }

  static ObjectNode json(SearchResult result) {
    ObjectNode body = ApiJson.object();
    body.put("query", result.query().text());
    result.query().kind().ifPresentOrElse(k -> body.put("kind", k.wireName()), () -> body.putNull("kind"));
    body.put("k", result.query().k());
    body.put("model", result.model());
    body.put("took_ms", Math.round(result.tookMs() * 10) / 10.0);
    ArrayNode hits = body.putArray("hits");
    for (SearchHit h : result.hits()) {
      hits.add(hit(h));
    }
    return body;
  }

  static ObjectNode hit(SearchHit h) {
    ObjectNode o = ApiJson.object();
    o.put("kind", h.kind().wireName());
    o.put("id", h.id());
    o.put("title", h.title());
    o.put("source", h.source());
    o.put("score", Math.round(h.score() * 1e6) / 1e6);
    ObjectNode why = o.putObject("why");
    if (h.vectorRank() == null) {
      why.putNull("vector_rank");
    } else {
      why.put("vector_rank", h.vectorRank());
    }
    if (h.textRank() == null) {
      why.putNull("text_rank");
    } else {
      why.put("text_rank", h.textRank());
    }
    if (h.similarity() == null) {
      why.putNull("similarity");
    } else {
      why.put("similarity", Math.round(h.similarity() * 1000) / 1000.0);
    }
    why.put("title_words", Math.round(h.titleCoverage() * 100) / 100.0);
    if (h.overviewRank() == null) {
      why.putNull("overview_rank");
    } else {
      why.put("overview_rank", h.overviewRank());
    }
    o.put("heading", h.heading());
    o.put("snippet", h.snippet());
    return o;
  }
}
