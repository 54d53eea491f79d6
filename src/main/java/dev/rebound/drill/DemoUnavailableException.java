package dev.rebound.drill;

import dev.rebound.error.UnavailableException;

/** The demo production system did not answer, or refused a control call. Maps to 503. */
public final class DemoUnavailableException extends UnavailableException {
  public DemoUnavailableException(String message) {
    super(message, null);
  }

  public DemoUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
