package dev.rebound.error;

/**
 * The caller could not be identified: no credentials, or credentials that match nobody. The
 * message never says which of the two, nor echoes the credential.
 */
public class UnauthenticatedException extends ReboundException {
  public UnauthenticatedException(String message) {
    super("unauthenticated", message);
  }
}
