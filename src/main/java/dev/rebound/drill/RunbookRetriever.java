package dev.rebound.drill;

import java.util.List;

/**
 * The normal search service as the drill sees it: runbook ids that best fit an alert's text,
 * best first. Blocking; throws when retrieval is unavailable (no index yet), which the drill
 * records rather than fails on.
 */
@FunctionalInterface
public interface RunbookRetriever {
  List<String> runbooksFor(String symptom);
}
