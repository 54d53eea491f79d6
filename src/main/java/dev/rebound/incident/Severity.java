package dev.rebound.incident;

/** sev1 (worst) to sev4. */
public enum Severity {
  SEV1, SEV2, SEV3, SEV4;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
