package dev.rebound.demo;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls per endpoint, keyed {@code "METHOD /route/pattern"} (e.g. {@code "POST
 * /serving/admin/model"}, {@code "POST /serving-standby/admin/model"}). {@code received} counts
 * every request that reached the route; {@code executed} those whose handler ran (authorised and
 * not an idempotent replay); {@code replayed} repeats of an {@code Idempotency-Key} answered from
 * the stored response; {@code unauthorized} requests refused for the admin token. Tests and drills
 * assert exactly-once execution with {@link #executed(String)}. Thread-safe.
 */
public final class CallCounts {
  /** One endpoint's counters at a moment. */
  public record Count(long received, long executed, long replayed, long unauthorized) {}

  private static final class Counters {
    final AtomicLong received = new AtomicLong();
    final AtomicLong executed = new AtomicLong();
    final AtomicLong replayed = new AtomicLong();
    final AtomicLong unauthorized = new AtomicLong();

    Count snapshot() {
      return new Count(received.get(), executed.get(), replayed.get(), unauthorized.get());
    }
  }

  private final Map<String, Counters> byEndpoint = new ConcurrentHashMap<>();

  private Counters of(String endpoint) {
    return byEndpoint.computeIfAbsent(endpoint, k -> new Counters());
  }

  void onReceived(String endpoint) {
    of(endpoint).received.incrementAndGet();
  }

  void onExecuted(String endpoint) {
    of(endpoint).executed.incrementAndGet();
  }

  void onReplayed(String endpoint) {
    of(endpoint).replayed.incrementAndGet();
  }

  void onUnauthorized(String endpoint) {
    of(endpoint).unauthorized.incrementAndGet();
  }

  /** Handler executions of {@code endpoint} ({@code "POST /registry/deployments"}); 0 if never called. */
  public long executed(String endpoint) {
    return count(endpoint).executed();
  }

  public Count count(String endpoint) {
    Counters c = byEndpoint.get(endpoint);
    return c == null ? new Count(0, 0, 0, 0) : c.snapshot();
  }

  /** Every endpoint called so far, sorted. */
  public Map<String, Count> snapshot() {
    Map<String, Count> out = new TreeMap<>();
    byEndpoint.forEach((k, v) -> out.put(k, v.snapshot()));
    return out;
  }

  public void clear() {
    byEndpoint.clear();
  }

  JsonObject toJson() {
    JsonObject calls = new JsonObject();
    snapshot().forEach((endpoint, c) -> calls.put(endpoint, new JsonObject()
        .put("received", c.received()).put("executed", c.executed())
        .put("replayed", c.replayed()).put("unauthorized", c.unauthorized())));
    return new JsonObject().put("calls", calls);
  }
}
