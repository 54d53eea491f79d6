package dev.rebound.db;

/**
 * A freshly issued token. {@link #token()} is shown to its holder once and exists nowhere else:
 * only {@link #sha256()} is stored. {@code toString} leaves the token out.
 */
public record IssuedToken(String token, String sha256, String personId, String label) {
  @Override
  public String toString() {
    return "IssuedToken[sha256=" + sha256 + ", personId=" + personId + ", label=" + label + "]";
  }
}
