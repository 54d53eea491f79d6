package dev.rebound.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one {@link ReadinessCheck}: up or down, plus details shown to operators
 * (JSON-compatible values: strings, numbers, booleans, lists, maps). Details must not contain
 * secrets: the readiness endpoint is unauthenticated.
 */
public record CheckResult(boolean up, Map<String, Object> details) {
  public CheckResult {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public static CheckResult up(Map<String, Object> details) {
    return new CheckResult(true, details);
  }

  public static CheckResult down(String reason) {
    return new CheckResult(false, Map.of("reason", reason));
  }

  public static CheckResult down(String reason, Map<String, Object> details) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("reason", reason);
    all.putAll(details);
    return new CheckResult(false, all);
  }
}
