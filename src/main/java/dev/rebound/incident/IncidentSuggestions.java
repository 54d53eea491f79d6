package dev.rebound.incident;

import io.vertx.core.Future;

/**
 * What {@link IncidentService#suggest} computes for one incident, as two futures that complete
 * (or fail) separately, so a caller can report each part's problem on its own.
 */
public record IncidentSuggestions(Future<java.util.List<SimilarIncident>> similar,
    Future<java.util.List<RunbookSuggestion>> runbooks) {}
