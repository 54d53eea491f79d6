package dev.rebound.incident;

/**
 * An incident just reported, and whether it is in the search index yet. While the index is being
 * built (a fresh database at start-up) the incident is stored and answered at once, and indexed
 * right after that run ends: until then similar incidents and suggestions cover what is indexed.
 *
 * @param indexed found by search and by "similar" from now on; false while it waits for the index
 */
public record Reported(Incident incident, boolean indexed) {}
