package dev.rebound.drill;

/** Ends a drill as failed; the message is the report's {@code failure}, for people. */
final class DrillFailure extends RuntimeException {
  DrillFailure(String message) {
    super(message, null, false, false);
  }
}
