package dev.rebound.engine;

import java.util.Locale;

/** A run against production ({@code live}) or a synthetic drill started by the drill bot. */
public enum RunKind {
  LIVE,
  DRILL;

  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunKind fromDb(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
