package dev.rebound.drill;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The reusable lookup behind "is this runbook's recovery proven?": search results, {@code
 * runbooks list}, and later Slack suggestions and the console ask {@link #forRunbook} or, for a
 * page of hits, {@link #forRunbooks} (one query). Reads the drill store; no caching, so a drill
 * that just finished counts at once.
 */
public final class DrillFlags {
  private final PgDrillStore store;
  private final Duration maxAge;
  private final Clock clock;

  public DrillFlags(PgDrillStore store, Duration maxAge, Clock clock) {
    this.store = store;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  public Duration maxAge() {
    return maxAge;
  }

  public Future<DrillFlag> forRunbook(String runbookId) {
    return forRunbooks(java.util.List.of(runbookId)).map(m -> m.get(runbookId));
  }

  /** A flag for each id, in the order given. */
  public Future<Map<String, DrillFlag>> forRunbooks(Collection<String> runbookIds) {
    return store.latestFinishedPerRunbook().map(latest -> {
      Map<String, DrillRecord> byRunbook = new LinkedHashMap<>();
      latest.forEach(r -> byRunbook.put(r.runbookId(), r));
      Map<String, DrillFlag> out = new LinkedHashMap<>();
      for (String id : runbookIds) {
        out.put(id, flag(id, Optional.ofNullable(byRunbook.get(id))));
      }
      return out;
    });
  }

  DrillFlag flag(String runbookId, Optional<DrillRecord> last) {
    if (last.isEmpty()) {
      return new DrillFlag(runbookId, Optional.empty(), Optional.empty(), true, "never drilled");
    }
    DrillRecord r = last.get();
    Instant at = r.finishedAt().orElse(r.startedAt());
    if (!r.status().equals("passed")) {
      return new DrillFlag(runbookId, Optional.of(r.status()), Optional.of(at), true,
          "last drill failed: " + r.failure().orElse("see drill " + r.drillId()));
    }
    Duration age = Duration.between(at, clock.instant());
    if (age.compareTo(maxAge) > 0) {
      return new DrillFlag(runbookId, Optional.of(r.status()), Optional.of(at), true,
          "last drill is " + age.toDays() + " days old (drills.max_age is " + maxAge.toDays() + " days)");
    }
    return new DrillFlag(runbookId, Optional.of(r.status()), Optional.of(at), false, "last drill passed");
  }
}
