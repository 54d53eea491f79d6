package dev.rebound.engine.action;

import dev.rebound.runbook.Action;

/**
 * Performs one rendered action (templates already substituted) against its target. A port: the
 * engine depends on it, adapters are {@link HttpActionExecutor}, {@link SqlActionExecutor},
 * {@link CommandActionExecutor}, {@link ManualActionExecutor}, {@link WaitActionExecutor}, and
 * {@link ActionExecutors} dispatches by type.
 *
 * <p><b>Threading:</b> blocking. Call it on a worker thread (Vert.x {@code executeBlocking} or a
 * worker pool), never on an event loop. Implementations are thread-safe; one instance serves
 * every run. Interrupting the calling thread aborts the action like a timeout.
 *
 * <p><b>Timeout:</b> the implementation enforces {@link ActionContext#timeout()} itself over the
 * whole call (connect, request, reading the reply; a process and all its descendants are
 * killed). It never returns later than the timeout plus a small grace for cleanup.
 *
 * <p><b>Idempotency:</b> executors do not retry and do not deduplicate. Each call is one attempt;
 * HTTP targets receive {@link ActionContext#idempotencyKey()} as the {@code Idempotency-Key}
 * header so they can. After a timeout nobody knows whether the action ran: the failure says
 * {@link ActionFailedException#outcomeUnknown()}, and the engine may re-run it only when the step
 * is declared idempotent.
 */
public interface ActionExecutor {

  /**
   * @return the masked output and summary of a successful action
   * @throws ActionFailedException when it failed, timed out or was refused; says whether
   *     retrying could help and whether the outcome is unknown
   * @throws IllegalArgumentException if {@code rendered} is not of this executor's type
   */
  ActionOutcome execute(Action rendered, ActionContext ctx) throws ActionFailedException;
}
