package dev.rebound.demo;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Responses remembered by {@code Idempotency-Key}, so a retried mutation (the engine keeps one key
 * across retries of a step) returns the first response instead of acting twice. A request is
 * identified by key, method, path and body together: the engine sends the same key with a step's
 * undo, which goes to the same endpoint with another body (traffic back to 0%, the previous model
 * version) and must act, not replay the step's own response. A repeat while the first request is
 * still running is refused (409) rather than run in parallel. Responses with a 5xx status are not
 * remembered: the request may be retried. Entries live 24 hours (at most {@value #MAX_ENTRIES},
 * oldest dropped first). Event-loop only.
 */
final class IdempotencyStore {
  static final int MAX_ENTRIES = 10_000;
  private static final Duration TTL = Duration.ofHours(24);

  /** A remembered request and, once it has one, its response. */
  static final class Entry {
    final long createdAt = System.currentTimeMillis();
    Integer status;
    Buffer response;

    boolean done() {
      return status != null;
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** Identifies a request: key, method, path and the sha256 of its body. */
  static String id(String key, String method, String path, Buffer body) {
    return method + " " + path + " " + key + " " + sha256(body);
  }

  /** The existing entry for the request, or empty after registering a new pending one. */
  Optional<Entry> claim(String id) {
    expire();
    Entry existing = entries.get(id);
    if (existing != null) {
      return Optional.of(existing);
    }
    entries.put(id, new Entry());
    return Optional.empty();
  }

  /** Records the response of a claimed request; a 5xx releases it instead. */
  void complete(String id, int status, Buffer response) {
    Entry entry = entries.get(id);
    if (entry == null || entry.done()) {
      return;
    }
    if (status >= 500) {
      entries.remove(id);
      return;
    }
    entry.status = status;
    entry.response = response.copy();
  }

  void clear() {
    entries.clear();
  }

  private void expire() {
    long cutoff = System.currentTimeMillis() - TTL.toMillis();
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (e.createdAt < cutoff || entries.size() > MAX_ENTRIES) {
        it.remove();
      } else {
        break;
      }
    }
  }

  private static String sha256(Buffer body) {
    try {
      byte[] bytes = body == null ? new byte[0] : body.getBytes();
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
