package dev.rebound.engine;

import dev.rebound.error.ValidationException;

/**
 * The reason a person gives for rejecting a step, rolling a run back or aborting it: stored in the
 * audit log, in the step's error and the run's, and shown in the console and in Slack, so it is a
 * sentence, not a document (as a runbook approval's comment).
 */
final class Reasons {
  static final int MAX_CHARS = 2000;

  private Reasons() {}

  /** @throws ValidationException when the reason is longer than {@link #MAX_CHARS} */
  static void check(String reason) {
    if (reason != null && reason.length() > MAX_CHARS) {
      throw new ValidationException("reason is longer than " + MAX_CHARS + " characters (" + reason.length()
          + "): say why in a sentence or two; details belong in the incident");
    }
  }
}
