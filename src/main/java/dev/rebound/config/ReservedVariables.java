package dev.rebound.config;

/**
 * Rebound's own environment variables. None of them may be handed to runbooks as a template
 * variable or used as a datasource URL variable: that would let a runbook author read the admin
 * token or the database password into a step's output.
 */
final class ReservedVariables {
  private ReservedVariables() {}

  static boolean isReserved(String name) {
    return name.equals("DATABASE_URL") || name.startsWith("REBOUND_") || name.startsWith("SLACK_");
  }
}
