package dev.rebound.http;

import dev.rebound.config.Secret;
import dev.rebound.db.ApiToken;
import dev.rebound.db.TokenStore;
import dev.rebound.error.UnauthenticatedException;
import dev.rebound.error.UnavailableException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an {@code Authorization: Bearer <token>} header into an {@link Identity}: the configured
 * admin token (compared in constant time), else an issued token looked up by its SHA-256.
 * Lookups, hits and misses alike, are cached for {@link #cacheTtl} so a burst of requests (or
 * of bad guesses) costs one query; a revoked token therefore keeps working for up to that long.
 */
final class BearerAuthenticator {
  private static final Pattern BEARER = Pattern.compile("(?i)bearer +([A-Za-z0-9._~+/-]+=*)\\s*");

  private final Optional<Secret> adminToken;
  private final TokenStore tokens;
  private final ExpiringCache<String, Optional<Identity>> cache;

  BearerAuthenticator(Optional<Secret> adminToken, TokenStore tokens, Duration cacheTtl) {
    this.adminToken = adminToken;
    this.tokens = tokens;
    this.cache = new ExpiringCache<>(cacheTtl, 10_000);
  }

  /** Fails with {@link UnauthenticatedException}, or {@link UnavailableException} if the lookup cannot be made. */
  Future<Identity> authenticate(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      return Future.failedFuture(new UnauthenticatedException("missing bearer token (Authorization: Bearer <token>)"));
    }
    Matcher bearer = BEARER.matcher(authorizationHeader);
    if (!bearer.matches()) {
      return Future.failedFuture(new UnauthenticatedException("malformed Authorization header: expected Bearer <token>"));
    }
    String token = bearer.group(1);
    if (adminToken.isPresent() && adminToken.get().matches(token)) {
      return Future.succeededFuture(Identity.admin());
    }
    // Keyed by hash, so raw tokens are not kept in memory longer than this request.
    String hash = TokenStore.hash(token);
    Optional<Optional<Identity>> cached = cache.get(hash);
    Future<Optional<Identity>> found = cached.isPresent()
        ? Future.succeededFuture(cached.get())
        : tokens.findByHash(hash)
            .map(row -> row.map(BearerAuthenticator::identity))
            .onSuccess(identity -> cache.put(hash, identity))
            .recover(e -> Future.failedFuture(new UnavailableException(
                "cannot check the token: the database is unreachable (" + e.getMessage() + ")", e)));
    return found.map(identity -> identity.orElseThrow(
        () -> new UnauthenticatedException("invalid or revoked token")));
  }

  private static Identity identity(ApiToken token) {
    return new Identity(token.personId(), token.role(), Identity.VIA_API_TOKEN);
  }
}
