package dev.rebound.db;

import dev.rebound.digest.Sha256;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API bearer tokens ({@code api_tokens}). A token is 32 random bytes, URL-safe base64, prefixed
 * {@code rb_} (so secret scanners and people recognise it); only its SHA-256 is stored. A plain
 * hash is enough here, unlike passwords: the input has 256 bits of entropy, so nothing can be
 * brute-forced from a leaked hash.
 *
 * <p>Methods return futures and never block. Revocation is immediate in the database; callers
 * that cache lookups (the HTTP edge does, briefly) see it when their cache entry expires.
 */
public final class TokenStore {
  public static final String PREFIX = "rb_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String INSERT =
      "insert into api_tokens (token_sha256, person_id, role, label) values ($1, $2, $3, $4)";
  private static final String FIND = "select token_sha256, person_id, role, label, created_at from api_tokens"
      + " where token_sha256 = $1 and revoked_at is null";
  private static final String REVOKE =
      "update api_tokens set revoked_at = now() where token_sha256 = $1 and revoked_at is null";
  private static final String REVOKE_OTHERS_LABELLED = "update api_tokens set revoked_at = now()"
      + " where label = $1 and revoked_at is null and token_sha256 <> all($2)";
  private static final String UPSERT = INSERT
      + " on conflict (token_sha256) do update set person_id = excluded.person_id, role = excluded.role,"
      + " label = excluded.label, revoked_at = null";
  // What BearerAuthenticator accepts after "Bearer ": a token outside it could never be presented.
  private static final Pattern BEARER_CHARS = Pattern.compile("[A-Za-z0-9._~+/-]+");

  private final Pool pool;

  public TokenStore(Pool pool) {
    this.pool = pool;
  }

  /** Creates a token for {@code personId} with {@code role}; {@code label} says what it is for. */
  public Future<IssuedToken> issue(String personId, Role role, String label) {
    if (personId == null || personId.isBlank()) {
      return Future.failedFuture(new ValidationException("person id is required"));
    }
    if (role == null) {
      return Future.failedFuture(new ValidationException("role is required"));
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String hash = hash(token);
    String safeLabel = label == null ? "" : label;
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(hash, personId, role.yamlName(), safeLabel))
        .map(rows -> new IssuedToken(token, hash, personId, safeLabel));
  }

  /** A fixed, well-known token value and whom it acts as (see {@link #replaceLabelled}). */
  public record KnownToken(String token, String personId, Role role) {
    @Override
    public String toString() {
      return "KnownToken[personId=" + personId + ", role=" + role + "]";
    }
  }

  /**
   * Makes the active tokens labelled {@code label} exactly {@code tokens}, in one transaction:
   * every other active token with that label is revoked, and each given one is created, or
   * re-activated with the given person and role when an earlier call had revoked it. Meant for
   * well-known, guessable values such as {@code serve --demo}'s {@code demo-<person>} tokens,
   * never for real credentials (use {@link #issue}); an empty list revokes the whole label.
   * Idempotent. Completes with the number of tokens revoked.
   */
  public Future<Integer> replaceLabelled(String label, List<KnownToken> tokens) {
    if (label == null || label.isBlank()) {
      return Future.failedFuture(new ValidationException("label is required"));
    }
    for (KnownToken t : tokens) {
      if (t.token() == null || !BEARER_CHARS.matcher(t.token()).matches()) {
        return Future.failedFuture(new ValidationException(
            "a token must be letters, digits and ._~+/- only (person " + t.personId() + ")"));
      }
      if (t.personId() == null || t.personId().isBlank() || t.role() == null) {
        return Future.failedFuture(new ValidationException("person id and role are required"));
      }
    }
    String[] keep = tokens.stream().map(t -> hash(t.token())).toArray(String[]::new);
    List<Tuple> rows = tokens.stream()
        .map(t -> Tuple.of(hash(t.token()), t.personId(), t.role().yamlName(), label))
        .toList();
    return pool.withTransaction(conn -> conn.preparedQuery(REVOKE_OTHERS_LABELLED)
        .execute(Tuple.tuple().addString(label).addArrayOfString(keep))
        .compose(revoked -> rows.isEmpty()
            ? Future.succeededFuture(revoked.rowCount())
            : conn.preparedQuery(UPSERT).executeBatch(rows).map(upserted -> revoked.rowCount())));
  }

  /** The active (not revoked) token with this SHA-256, if any. */
  public Future<Optional<ApiToken>> findByHash(String sha256) {
    return pool.preparedQuery(FIND).execute(Tuple.of(sha256)).map(TokenStore::first);
  }

  /** The active token matching the presented {@code token}, if any. */
  public Future<Optional<ApiToken>> find(String token) {
    return findByHash(hash(token));
  }

  /** Revokes a token by its value; {@code true} if it was active. Idempotent. */
  public Future<Boolean> revoke(String token) {
    return revokeByHash(hash(token));
  }

  /** Revokes by hash (what an admin sees in listings and the audit log). Idempotent. */
  public Future<Boolean> revokeByHash(String sha256) {
    return pool.preparedQuery(REVOKE).execute(Tuple.of(sha256)).map(rows -> rows.rowCount() == 1);
  }

  /** Lower-case hex SHA-256 of the token's UTF-8 bytes: the key under which it is stored. */
  public static String hash(String token) {
    return Sha256.hex(token);
  }

  private static Optional<ApiToken> first(RowSet<Row> rows) {
    if (!rows.iterator().hasNext()) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    Role role = Role.fromYaml(row.getString("role"))
        .orElseThrow(() -> new IllegalStateException("api_tokens has an unknown role: " + row.getString("role")));
    return Optional.of(new ApiToken(row.getString("token_sha256"), row.getString("person_id"), role,
        row.getString("label"), row.getOffsetDateTime("created_at")));
  }
}
