package dev.rebound.runbook;

import java.util.Locale;

/** How dangerous a step is; the approval policy maps it to the approvals a step needs. */
public enum Risk {
  LOW,
  MEDIUM,
  HIGH;

  /** The spelling used in runbooks and configuration. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Risk of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
