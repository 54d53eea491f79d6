package dev.rebound.http;

import dev.rebound.error.ValidationException;
import io.vertx.core.MultiMap;
import java.util.Optional;

/**
 * The paging parameters of list routes that grow without bound ({@code GET /api/incidents},
 * {@code GET /api/chat}): {@code limit} (1 to {@link #MAX_LIMIT}, default {@link #DEFAULT_LIMIT})
 * and {@code before}, the {@code next} of the page before, which asks for the entries older than
 * those. The answer's {@code next} is null on the last page. A bad value is a 400 naming the
 * parameter and the value given.
 */
final class Paging {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;

  private Paging() {}

  static int limit(MultiMap params) {
    return limit(params, DEFAULT_LIMIT);
  }

  /** {@code limit}, 1 to {@link #MAX_LIMIT}, {@code defaultLimit} when not given (also for other list routes). */
  static int limit(MultiMap params, int defaultLimit) {
    String text = params.get("limit");
    if (text == null) {
      return defaultLimit;
    }
    int limit;
    try {
      limit = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException("limit must be a number from 1 to " + MAX_LIMIT + ", got '" + text + "'");
    }
    return limit;
  }

  /** The cursor as given, stripped; empty when the first page is asked for. */
  static Optional<String> before(MultiMap params) {
    String text = params.get("before");
    if (text != null && text.isBlank()) {
      throw new ValidationException("before is empty: give the next of the page before, or leave it out");
    }
    return Optional.ofNullable(text).map(String::strip);
  }
}
