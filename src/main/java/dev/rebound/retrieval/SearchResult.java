package dev.rebound.retrieval;

import java.util.List;

/** Hits best first, plus the model that embedded the query and the time the search took. */
public record SearchResult(SearchQuery query, List<SearchHit> hits, String model, double tookMs) {
  public SearchResult {
    hits = List.copyOf(hits);
  }
}
