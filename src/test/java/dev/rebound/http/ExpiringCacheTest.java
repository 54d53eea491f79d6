package dev.rebound.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {
  @Test
  void returns_entries_until_they_expire() throws InterruptedException {
    ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofMillis(50), 10);
    cache.put("k", "v");

    assertThat(cache.get("k")).contains("v");
    Thread.sleep(80);
    assertThat(cache.get("k")).isEmpty();
  }

  @Test
  void a_zero_ttl_caches_nothing() {
    ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ZERO, 10);
    cache.put("k", "v");

    assertThat(cache.get("k")).isEmpty();
  }

  @Test
  void starts_over_when_full_instead_of_growing() {
    ExpiringCache<Integer, Integer> cache = new ExpiringCache<>(Duration.ofMinutes(1), 3);
    for (int i = 0; i < 4; i++) {
      cache.put(i, i);
    }

    assertThat(cache.get(0)).isEmpty();
    assertThat(cache.get(3)).contains(3);
  }
}
