package dev.rebound.engine;

import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.ReboundException;

/**
 * Why the engine refused an approval (or another decision about a run). Each reason is audited
 * ({@code approval.refused} with {@code reason}), counted in metrics, and returned to the caller
 * as 403 (who you are) or 409 (the state of the run does not allow it).
 */
enum Refusal {
  RUN_NOT_FOUND(Kind.NOT_FOUND),
  STEP_NOT_FOUND(Kind.NOT_FOUND),
  AGENT_CANNOT_APPROVE(Kind.FORBIDDEN),
  DRILL_BOT_ON_LIVE_RUN(Kind.FORBIDDEN),
  NOT_A_PERSON(Kind.FORBIDDEN),
  ROLE_TOO_LOW(Kind.FORBIDDEN),
  REQUESTER_CANNOT_APPROVE(Kind.FORBIDDEN),
  ALREADY_APPROVED(Kind.CONFLICT),
  ACTION_CHANGED(Kind.CONFLICT),
  ATTEMPT_CHANGED(Kind.CONFLICT),
  STEP_NOT_AWAITING_APPROVAL(Kind.CONFLICT),
  RUN_NOT_ACTIVE(Kind.CONFLICT),
  WRONG_STATE(Kind.CONFLICT);

  enum Kind { FORBIDDEN, CONFLICT, NOT_FOUND }

  private final Kind kind;

  Refusal(Kind kind) {
    this.kind = kind;
  }

  String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  Refused because(String message) {
    return new Refused(this, message);
  }

  /** Carries the reason through a failed future until it is audited and mapped. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Refusal reason;

    Refused(Refusal reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }

    ReboundException toError() {
      String text = getMessage();
      return switch (reason.kind) {
        case FORBIDDEN -> new ForbiddenException(text);
        case CONFLICT -> new ConflictException(text);
        case NOT_FOUND -> new NotFoundException(text);
      };
    }
  }
}
