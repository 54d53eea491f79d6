package dev.rebound.retrieval;

import dev.rebound.health.CheckResult;
import dev.rebound.health.ReadinessCheck;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The index's state as last observed, for {@code /health/ready} and the CLI. Updated by whoever
 * indexes or checks staleness; read on the event loop (cheap, no I/O). Readiness stays up while
 * the index is stale, building or unusable: runbooks, runs and approvals work without search,
 * and taking the replica out of traffic would not make the index fresher. It says so in its
 * details instead.
 */
public final class IndexStatus implements ReadinessCheck {
  public enum State { UNKNOWN, INDEXING, FRESH, STALE, REINDEX_REQUIRED, FAILED }

  private volatile State state = State.UNKNOWN;
  private volatile Optional<Staleness> staleness = Optional.empty();
  private volatile Optional<IndexReport> lastRun = Optional.empty();
  private volatile String error = null;
  private volatile Instant checkedAt = null;

  public void indexing() {
    state = State.INDEXING;
  }

  public void indexed(IndexReport report) {
    lastRun = Optional.of(report);
    error = null;
    state = State.FRESH;
  }

  public void checked(Staleness s) {
    staleness = Optional.of(s);
    checkedAt = Instant.now();
    if (state == State.INDEXING) {
      return;
    }
    state = s.reindexRequired().isPresent() ? State.REINDEX_REQUIRED : s.stale() ? State.STALE : State.FRESH;
  }

  public void failed(Throwable e) {
    error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    state = e instanceof ReindexRequiredException ? State.REINDEX_REQUIRED : State.FAILED;
  }

  public State state() {
    return state;
  }

  public Optional<Staleness> staleness() {
    return staleness;
  }

  @Override
  public String name() {
    return "retrieval";
  }

  @Override
  public Future<CheckResult> check() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("index", state.name().toLowerCase(java.util.Locale.ROOT));
    staleness.ifPresent(s -> {
      details.put("stale", s.stale());
      details.put("stale_documents", Map.of("added", s.added().size(), "changed", s.changed().size(),
          "removed", s.removed().size()));
      details.put("indexed_documents", s.indexedDocuments());
      s.index().ifPresent(m -> {
        details.put("model", m.model());
        details.put("dimension", m.dimension());
        details.put("indexed_at", m.indexedAt().toString());
      });
      // Not describe()'s "run `rebound index`" while this service is indexing: a second run would
      // only wait for this one's lock.
      details.put("summary", state == State.INDEXING ? "indexing now, in this service: " + s.staleDocuments()
          + " documents to add, update or remove" : s.describe());
    });
    if (checkedAt != null) {
      details.put("checked_at", checkedAt.toString());
    }
    lastRun.ifPresent(r -> details.put("last_run", Map.of("added", r.added(), "updated", r.updated(),
        "unchanged", r.unchanged(), "removed", r.removed(), "embedded_chunks", r.embeddedChunks(),
        "took_ms", r.took().toMillis())));
    if (error != null) {
      details.put("error", error);
    }
    return Future.succeededFuture(CheckResult.up(details));
  }
}
