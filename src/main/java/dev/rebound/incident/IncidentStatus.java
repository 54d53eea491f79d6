package dev.rebound.incident;

/** Where an incident stands. */
public enum IncidentStatus {
  OPEN, MITIGATED, RESOLVED;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
