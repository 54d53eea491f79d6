package dev.rebound.error;

/** The caller is known but may not do this (role too low, approving their own change…). */
public class ForbiddenException extends ReboundException {
  public ForbiddenException(String message) {
    super("forbidden", message);
  }
}
