package dev.rebound.runbook;

import dev.rebound.error.ValidationException;
import java.util.List;

/**
 * Parameters given for a run do not satisfy the runbook's parameter schemas; {@link
 * #problems()} has one line per problem, each naming the parameter, e.g. {@code param limit:
 * "x" is not an integer}.
 */
public final class InvalidParametersException extends ValidationException {
  public InvalidParametersException(List<String> errors) {
    super("invalid_params", errors);
  }
}
