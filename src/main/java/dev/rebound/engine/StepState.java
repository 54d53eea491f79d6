package dev.rebound.engine;

import java.util.Arrays;
import java.util.Locale;

/**
 * A step's state: pending → awaiting_approval → approved → running → succeeded | failed |
 * skipped | rolled_back.
 */
public enum StepState {
  PENDING,
  AWAITING_APPROVAL,
  APPROVED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  SKIPPED,
  ROLLED_BACK;

  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static StepState fromDb(String text) {
    return Arrays.stream(values()).filter(s -> s.dbName().equals(text)).findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown step state '" + text + "'"));
  }
}
