package dev.rebound.engine.target;

import dev.rebound.error.ReboundException;

/**
 * A call to a target system (a datasource, an HTTP endpoint) did not complete normally. Says two
 * things the engine needs: whether retrying could help at all ({@link #retryable()}: a refused
 * connection, a 5xx, a timeout; not a syntax error or a missing table) and whether the target may
 * have applied the call anyway ({@link #outcomeUnknown()}: true after a timeout or a connection
 * lost mid-request, when nobody knows). The message is short and may contain values from the
 * target: callers mask it before showing it.
 */
public final class TargetCallException extends ReboundException {
  private final boolean retryable;
  private final boolean outcomeUnknown;

  public TargetCallException(String message, boolean retryable, boolean outcomeUnknown, Throwable cause) {
    super("target_call_failed", message, cause);
    this.retryable = retryable;
    this.outcomeUnknown = outcomeUnknown;
  }

  /** Retrying cannot help (bad request, validation, missing object); nothing was applied. */
  public static TargetCallException permanent(String message) {
    return new TargetCallException(message, false, false, null);
  }

  public static TargetCallException permanent(String message, Throwable cause) {
    return new TargetCallException(message, false, false, cause);
  }

  /** A transient failure that certainly applied nothing (connection refused, rolled back). */
  public static TargetCallException transientNotApplied(String message, Throwable cause) {
    return new TargetCallException(message, true, false, cause);
  }

  /** A failure after which the target may or may not have applied the call. */
  public static TargetCallException outcomeUnknown(String message, Throwable cause) {
    return new TargetCallException(message, true, true, cause);
  }

  public boolean retryable() {
    return retryable;
  }

  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }
}
