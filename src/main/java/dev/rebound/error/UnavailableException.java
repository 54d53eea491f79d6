package dev.rebound.error;

/**
 * Something Rebound depends on (its database, the model endpoint, Slack) cannot be reached right
 * now. Unlike the other failures here, retrying later may succeed.
 */
public class UnavailableException extends ReboundException {
  public UnavailableException(String message, Throwable cause) {
    super("unavailable", message, cause);
  }
}
