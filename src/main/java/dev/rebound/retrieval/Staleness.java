package dev.rebound.retrieval;

import java.util.List;
import java.util.Optional;

/**
 * How the index compares with the content on disk (and in the incident table) right now.
 *
 * @param index what the index was built with; empty when it was never built
 * @param reindexRequired why the index cannot be used with the configured model, if so
 */
public record Staleness(
    Optional<IndexMeta> index, List<DocKey> added, List<DocKey> changed, List<DocKey> removed, int indexedDocuments,
    Optional<String> reindexRequired) {

  public Staleness {
    added = List.copyOf(added);
    changed = List.copyOf(changed);
    removed = List.copyOf(removed);
  }

  public boolean stale() {
    return index.isEmpty() || !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
  }

  public int staleDocuments() {
    return added.size() + changed.size() + removed.size();
  }

  /** One line: {@code fresh (42 documents)} or {@code stale: 2 new, 1 changed, 0 removed}. */
  public String describe() {
    if (reindexRequired.isPresent()) {
      return reindexRequired.get();
    }
    if (index.isEmpty()) {
      return "not built yet: " + added.size() + " documents to index (run `rebound index`)";
    }
    if (!stale()) {
      return "fresh (" + indexedDocuments + " documents, " + index.get().model() + ")";
    }
    return "stale: " + added.size() + " new, " + changed.size() + " changed, " + removed.size()
        + " removed since the last index run (run `rebound index`)";
  }
}
