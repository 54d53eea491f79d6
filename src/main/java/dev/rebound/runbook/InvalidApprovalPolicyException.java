package dev.rebound.runbook;

import dev.rebound.error.ValidationException;
import java.util.List;

/** The {@code approval_policy} configuration section is malformed; one line per problem. */
public final class InvalidApprovalPolicyException extends ValidationException {
  public InvalidApprovalPolicyException(List<String> problems) {
    super("invalid_approval_policy", problems);
  }
}
