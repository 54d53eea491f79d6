package dev.rebound.error;

/** The named thing (runbook, run, asset, incident…) does not exist. */
public class NotFoundException extends ReboundException {
  public NotFoundException(String message) {
    super("not_found", message);
  }

  /** {@code what} is a noun such as "runbook", {@code id} the identifier that was asked for. */
  public static NotFoundException of(String what, String id) {
    return new NotFoundException(what + " '" + id + "' not found");
  }
}
