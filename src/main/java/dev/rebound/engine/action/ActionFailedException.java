package dev.rebound.engine.action;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.Masker;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.error.ReboundException;

/**
 * An action did not succeed. Carries what the engine needs to decide what happens next:
 *
 * <ul>
 *   <li>{@link #retryable()}: whether retrying could help at all (connection refused, 5xx, 429,
 *       timeout, deadlock: yes; 4xx, validation, a missing script or table, a script's own
 *       failure: no). Whether the engine actually retries is its decision (retries configured,
 *       and after an unknown outcome only for idempotent steps).
 *   <li>{@link #outcomeUnknown()}: the target may or may not have applied the action (a timeout,
 *       a connection lost mid-request, a 5xx, a COMMIT that never answered). The message says so.
 *   <li>{@link #output()}: what is known from the failed attempt (an HTTP status and body fields,
 *       a command's exit code, stdout and stderr), for the timeline; may be empty.
 * </ul>
 *
 * Message and output are already masked. Unchecked like every Rebound failure, but declared on
 * {@link ActionExecutor#execute} so callers see it.
 */
public final class ActionFailedException extends ReboundException {
  static final String UNKNOWN_OUTCOME =
      "; outcome unknown: the target may or may not have applied it (re-run only if the step is idempotent)";

  private final boolean retryable;
  private final boolean outcomeUnknown;
  private final ObjectNode output;

  public ActionFailedException(String message, boolean retryable, boolean outcomeUnknown, ObjectNode output) {
    super("action_failed", message);
    this.retryable = retryable;
    this.outcomeUnknown = outcomeUnknown;
    this.output = output == null ? JsonNodeFactory.instance.objectNode() : output.deepCopy();
  }

  /** Retrying cannot help and nothing was applied (bad input, missing script, refused by policy). */
  static ActionFailedException permanent(Masker masker, String message) {
    return new ActionFailedException(masker.mask(message), false, false, null);
  }

  /** From a target failure, adding the "outcome unknown" wording when it applies. */
  static ActionFailedException from(Masker masker, TargetCallException e) {
    String message = e.getMessage() + (e.outcomeUnknown() ? UNKNOWN_OUTCOME : "");
    return new ActionFailedException(masker.mask(message), e.retryable(), e.outcomeUnknown(), null);
  }

  public boolean retryable() {
    return retryable;
  }

  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  public ObjectNode output() {
    return output.deepCopy();
  }
}
