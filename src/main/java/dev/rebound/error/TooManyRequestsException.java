package dev.rebound.error;

/**
 * The caller already holds as many of a bounded resource (e.g. open event streams) as one caller
 * may; the message names the limit and how many are held. Retrying after releasing one succeeds.
 */
public class TooManyRequestsException extends ReboundException {
  public TooManyRequestsException(String message) {
    super("too_many_requests", message);
  }
}
