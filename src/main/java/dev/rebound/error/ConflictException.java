package dev.rebound.error;

/** The request is valid but clashes with the current state (e.g. a run already finished). */
public class ConflictException extends ReboundException {
  public ConflictException(String message) {
    super("conflict", message);
  }
}
