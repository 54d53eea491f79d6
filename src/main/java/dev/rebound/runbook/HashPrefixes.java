package dev.rebound.runbook;

/**
 * Hashes shortened for messages. Two hashes said to differ are cut where they differ, not at a
 * fixed length: cut at 12 characters, a mistyped tail would print two identical prefixes.
 */
public final class HashPrefixes {
  static final int SHORT = 12;

  private HashPrefixes() {}

  /**
   * {@code hash} cut long enough to differ from {@code other} (at least {@value #SHORT}
   * characters, with "…" when cut); the same length either way round, so both read alike.
   */
  public static String against(String hash, String other) {
    int same = 0;
    while (same < hash.length() && same < other.length() && hash.charAt(same) == other.charAt(same)) {
      same++;
    }
    int length = Math.max(SHORT, same + 1);
    return hash.length() > length ? hash.substring(0, length) + "…" : hash;
  }
}
