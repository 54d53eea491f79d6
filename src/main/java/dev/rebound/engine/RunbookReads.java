package dev.rebound.engine;

import dev.rebound.runbook.Runbook;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of a run's runbook file started before the run's row is read, so the worker's file read
 * overlaps the database's round trip instead of following it. A run's runbook id never changes,
 * so it is remembered (for the most recent runs) once a run was created or read here; a run not
 * remembered has its file read after its row, as before. The read is still of the file as it is
 * during the request that needs it: it starts when the request does, and what it returns is
 * compared with the run's content hash exactly as a later read would be.
 *
 * <p><b>Threading:</b> thread-safe; {@link #start} never blocks (the read runs on a worker).
 */
final class RunbookReads {
  private static final int REMEMBERED = 4096;

  private final Core core;
  /** Run id to runbook id, least recently used first. */
  private final Map<String, String> runbookIds = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** A read of {@code runbookId}'s file, started on a worker. */
  record Started(String runbookId, Future<Optional<Runbook>> runbook) {}

  RunbookReads(Core core) {
    this.core = core;
  }

  /** Remembers the run's runbook id (immutable) for later {@link #start}s. */
  void remember(RunRecord run) {
    synchronized (runbookIds) {
      runbookIds.put(run.id(), run.runbookId());
    }
  }

  /** Starts reading the run's runbook file now, if its runbook id is remembered. */
  Optional<Started> start(String runId) {
    String runbookId;
    synchronized (runbookIds) {
      runbookId = runbookIds.get(runId);
    }
    return Optional.ofNullable(runbookId)
        .map(id -> new Started(id, core.blocking(() -> core.runbooks.current(id))));
  }

  /**
   * The run's runbook file as read during this request: the read {@code started} early when it is
   * of this run's runbook, else one started now.
   */
  Future<Optional<Runbook>> of(RunRecord run, Optional<Started> started) {
    remember(run);
    return started.filter(s -> s.runbookId().equals(run.runbookId())).map(Started::runbook)
        .orElseGet(() -> core.blocking(() -> core.runbooks.current(run.runbookId())));
  }
}
