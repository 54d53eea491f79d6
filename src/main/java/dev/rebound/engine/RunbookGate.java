package dev.rebound.engine;

import dev.rebound.runbook.Runbook;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Whether a runbook, exactly as loaded (its content hash), may be started: approved by someone
 * other than its author for this content hash, and active in this environment. Implemented by
 * the application from its approval store and configuration.
 *
 * <p><b>Threading:</b> non-blocking. <b>Idempotency:</b> a pure read.
 */
@FunctionalInterface
public interface RunbookGate {

  /** @return empty when the runbook may start, else why not, in one sentence for people */
  Future<Optional<String>> refusal(Runbook runbook);
}
