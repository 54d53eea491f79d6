package dev.rebound.incident;

import dev.rebound.yaml.SourcePosition;
import dev.rebound.yaml.YamlProblem;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes the {@code incidents} table match {@code knowledge/incidents/*.md}: new files are
 * inserted, changed ones updated, rows whose file is gone deleted. Incidents reported through
 * the API are never touched. A file that does not load keeps its previous row (its id cannot be
 * known, and dropping history because of a typo would be worse) and is reported.
 */
public final class IncidentSync {
  private final PgIncidentStore store;

  public IncidentSync(PgIncidentStore store) {
    this.store = store;
  }

  public record Report(int added, int updated, int unchanged, int removed, List<YamlProblem> problems) {}

  /** {@code loaded} comes from {@link IncidentLoader#loadAll} (blocking, run it on a worker). */
  public Future<Report> sync(IncidentLoader.Loaded loaded) {
    return store.stored().compose(stored -> {
      List<YamlProblem> problems = new ArrayList<>(loaded.problems());
      Set<String> brokenFiles = new HashSet<>();
      loaded.problems().forEach(p -> brokenFiles.add(fileName(p.file())));
      Set<String> seen = new HashSet<>();
      List<Incident> upserts = new ArrayList<>();
      int added = 0;
      int updated = 0;
      int unchanged = 0;
      for (Incident incident : loaded.incidents()) {
        PgIncidentStore.Stored old = stored.get(incident.id());
        String file = incident.file().orElse("?");
        if (!seen.add(incident.id())) {
          problems.add(new YamlProblem(file, SourcePosition.START, "duplicate incident id '" + incident.id() + "': skipped"));
          continue;
        }
        if (old != null && old.file().isEmpty()) {
          problems.add(new YamlProblem(file, SourcePosition.START, "incident id '" + incident.id()
              + "' is already used by an incident reported through the API: skipped"));
          continue;
        }
        if (old == null) {
          added++;
          upserts.add(incident);
        } else if (!old.contentHash().equals(incident.contentHash())) {
          updated++;
          upserts.add(incident);
        } else {
          unchanged++;
        }
      }
      List<String> removed = stored.values().stream()
          .filter(s -> s.file().isPresent() && !seen.contains(s.id()) && !brokenFiles.contains(s.file().get()))
          .map(PgIncidentStore.Stored::id)
          .toList();
      Future<Void> chain = Future.succeededFuture();
      for (Incident i : upserts) {
        chain = chain.compose(v -> store.upsert(i));
      }
      int a = added;
      int u = updated;
      int n = unchanged;
      return chain.compose(v -> store.delete(removed)).map(v -> new Report(a, u, n, removed.size(), problems));
    });
  }

  private static String fileName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return slash < 0 ? path : path.substring(slash + 1);
  }

}
