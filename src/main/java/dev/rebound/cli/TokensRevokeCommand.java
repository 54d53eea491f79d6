package dev.rebound.cli;

import dev.rebound.db.TokenStore;
import dev.rebound.error.NotFoundException;
import java.time.Duration;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rebound tokens revoke TOKEN}. */
@Command(
    name = "revoke",
    description = {
      "Revoke an API token.",
      "%nGive the token itself or its sha256 (64 hex digits, as the audit log names it)."
          + " Exit 1 when no active token matches."
    })
final class TokensRevokeCommand extends CliCommand {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  /** What a shortened hash looks like (as the audit log and {@code revoke} itself print them). */
  private static final Pattern HASH_PREFIX = Pattern.compile("[0-9a-f]{6,63}…?");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Parameters(index = "0", paramLabel = "TOKEN", description = "The token, or its sha256.")
  String token;

  @Override
  int run(CliContext context) {
    boolean byHash = SHA256.matcher(token).matches();
    String hash = byHash ? token : TokenStore.hash(token);
    try (Db db = context.openDb(TIMEOUT)) {
      db.migrate();
      TokenStore tokens = new TokenStore(db.pool());
      boolean revoked = db.await(byHash ? tokens.revokeByHash(token) : tokens.revoke(token));
      if (!revoked) {
        throw new NotFoundException(HASH_PREFIX.matcher(token).matches()
            ? "'" + token + "' is neither a token nor a whole sha256: give the token, or all 64 hex digits of its"
                + " sha256 (tokens issue prints them), not a prefix"
            : "no active token matches (already revoked, or never issued here)");
      }
    }
    context.out().println("revoked token sha256 " + hash.substring(0, 12) + "…");
    return OK;
  }
}
