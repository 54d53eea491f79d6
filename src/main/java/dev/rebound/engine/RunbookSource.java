package dev.rebound.engine;

import dev.rebound.runbook.Runbook;
import java.util.Optional;

/**
 * The runbook as its file is <em>now</em>. The engine asks when a run is created and again in
 * every claim, right before a step executes, so a file edited after approval is caught.
 *
 * <p><b>Threading:</b> blocking (reads a file); call on a worker thread. Thread-safe.
 * <b>Idempotency:</b> a pure read. Implementations must not serve stale content: a cache may
 * only be keyed by the file's exact bytes.
 */
public interface RunbookSource {

  /**
   * @return the runbook with id {@code id} as on disk now; empty when there is no such file or it
   *     does not load (its problems are the linter's to report)
   */
  Optional<Runbook> current(String id);
}
