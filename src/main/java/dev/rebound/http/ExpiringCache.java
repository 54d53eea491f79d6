package dev.rebound.http;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small time-bounded cache. When full it is simply cleared: entries are cheap to reload, and a
 * flood of distinct keys (bad tokens) must not grow memory without bound. A zero TTL disables it.
 */
final class ExpiringCache<K, V> {
  private record Entry<V>(V value, long expiresAtNanos) {}

  private final long ttlNanos;
  private final int maxEntries;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

  ExpiringCache(Duration ttl, int maxEntries) {
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
  }

  Optional<V> get(K key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (System.nanoTime() - entry.expiresAtNanos() >= 0) {
      entries.remove(key, entry);
      return Optional.empty();
    }
    return Optional.of(entry.value());
  }

  void put(K key, V value) {
    if (ttlNanos <= 0) {
      return;
    }
    if (entries.size() >= maxEntries) {
      entries.clear();
    }
    entries.put(key, new Entry<>(value, System.nanoTime() + ttlNanos));
  }
}
