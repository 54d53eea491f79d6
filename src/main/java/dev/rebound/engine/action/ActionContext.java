package dev.rebound.engine.action;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one call of an {@link ActionExecutor} is about: which run, step and attempt, the
 * idempotency key, the timeout, and for a manual step who confirmed it. Built by the engine for
 * each attempt.
 *
 * <p>Process-wide settings (the scripts directory, the working directory, the template variables
 * passed to commands, the datasources, the masker) are deliberately not here: they are fixed when
 * the executors are built ({@link ActionExecutors#standard}), so no caller can widen the script
 * allowlist or skip masking for one call.
 *
 * @param idempotencyKey sent verbatim to HTTP targets as {@code Idempotency-Key}. It should stay
 *     the same across retries of one step (and be the one recorded with the step's undo), so a
 *     target can recognise a retry; choosing it is the engine's job.
 * @param timeout the whole call must finish within it, or fail with an unknown outcome
 * @param confirmedBy for {@code manual}: the person who confirmed the work is done
 * @param note for {@code manual}: what they wrote
 */
public record ActionContext(
    String runId,
    String stepId,
    int attempt,
    String idempotencyKey,
    Duration timeout,
    Optional<String> confirmedBy,
    Optional<String> note) {

  public ActionContext {
    requireText(runId, "runId");
    requireText(stepId, "stepId");
    requireText(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(timeout, "timeout");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt starts at 1, got " + attempt);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    confirmedBy = Objects.requireNonNull(confirmedBy, "confirmedBy").filter(s -> !s.isBlank());
    note = Objects.requireNonNull(note, "note");
  }

  /** For every action type but {@code manual}. */
  public static ActionContext of(String runId, String stepId, int attempt, String idempotencyKey, Duration timeout) {
    return new ActionContext(runId, stepId, attempt, idempotencyKey, timeout, Optional.empty(), Optional.empty());
  }

  /** The same call, confirmed by {@code person} with an optional {@code note} (manual steps). */
  public ActionContext confirmedBy(String person, String note) {
    return new ActionContext(runId, stepId, attempt, idempotencyKey, timeout,
        Optional.ofNullable(person), Optional.ofNullable(note));
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
