package dev.rebound.engine;

import java.util.Arrays;
import java.util.Locale;

/** A run's state: proposed → running → succeeded | failed | rolled_back | aborted. */
public enum RunState {
  PROPOSED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  ROLLED_BACK,
  ABORTED;

  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether nothing more will happen to the run without a person reopening it. */
  public boolean isFinal() {
    return this == SUCCEEDED || this == ROLLED_BACK || this == ABORTED;
  }

  public static RunState fromDb(String text) {
    return Arrays.stream(values()).filter(s -> s.dbName().equals(text)).findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown run state '" + text + "'"));
  }
}
