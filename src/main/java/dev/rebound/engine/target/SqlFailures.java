package dev.rebound.engine.target;

import java.sql.SQLException;

/**
 * Maps JDBC failures to {@link TargetCallException} by SQLSTATE and by when they happened:
 * before COMMIT the transaction was rolled back (nothing applied), during COMMIT a lost
 * connection leaves the outcome unknown.
 */
final class SqlFailures {
  private SqlFailures() {}

  static TargetCallException onConnect(String where, SQLException e, Deadline deadline) {
    String state = state(e);
    if (state.startsWith("28")) {
      return TargetCallException.permanent(where + ": login refused (" + firstLine(e) + ")", e);
    }
    if (state.equals("3D000")) {
      return TargetCallException.permanent(where + ": " + firstLine(e), e);
    }
    String what = deadline.expired() ? "could not connect within " + HttpTarget.format(deadline.total()) : "cannot connect";
    return TargetCallException.transientNotApplied(where + ": " + what + " (" + firstLine(e) + ")", e);
  }

  static TargetCallException beforeCommit(String where, SQLException e, Deadline deadline) {
    String state = state(e);
    if (state.equals("57014") || (state.startsWith("08") && deadline.expired())) {
      return TargetCallException.transientNotApplied(where + ": statement timed out after "
          + HttpTarget.format(deadline.total()) + "; the transaction was rolled back", e);
    }
    if (state.startsWith("08") || state.isEmpty()) {
      return TargetCallException.transientNotApplied(
          where + ": connection lost before commit; the transaction was rolled back (" + firstLine(e) + ")", e);
    }
    if (isTransient(state)) {
      return TargetCallException.transientNotApplied(
          where + ": " + firstLine(e) + " (SQLSTATE " + state + "); the transaction was rolled back", e);
    }
    return TargetCallException.permanent(where + ": " + firstLine(e) + " (SQLSTATE " + state + ")", e);
  }

  static TargetCallException onCommit(String where, SQLException e) {
    String state = state(e);
    if (state.startsWith("08") || state.isEmpty()) {
      return TargetCallException.outcomeUnknown(
          where + ": connection lost during COMMIT; the transaction may or may not have committed ("
              + firstLine(e) + ")", e);
    }
    if (isTransient(state)) {
      return TargetCallException.transientNotApplied(
          where + ": COMMIT refused: " + firstLine(e) + " (SQLSTATE " + state + "); rolled back", e);
    }
    return TargetCallException.permanent(
        where + ": COMMIT refused: " + firstLine(e) + " (SQLSTATE " + state + "); rolled back", e);
  }

  /** Serialization failure, deadlock, lock timeout, resource shortage, server shutting down. */
  private static boolean isTransient(String state) {
    return state.equals("40001") || state.equals("40P01") || state.equals("55P03")
        || state.startsWith("53") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
  }

  private static String state(SQLException e) {
    return e.getSQLState() == null ? "" : e.getSQLState();
  }

  /** The server's message without Detail/Hint/Position lines, which may quote row values. */
  static String firstLine(SQLException e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }
}
