package dev.rebound.runbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a runbook may be started: {@code active: true/false}, or a map environment → bool.
 * With a map, an environment it does not name is inactive: a runbook written for staging and
 * production should not silently become startable in a third environment. {@code unlisted} is
 * the answer for an environment the map does not name (for a plain bool: every environment).
 */
public record Activation(boolean unlisted, Map<String, Boolean> byEnvironment) {
  public static final Activation ALWAYS = new Activation(true, Map.of());
  public static final Activation NEVER = new Activation(false, Map.of());

  public Activation {
    byEnvironment = Collections.unmodifiableMap(new LinkedHashMap<>(byEnvironment));
  }

  public static Activation perEnvironment(Map<String, Boolean> byEnvironment) {
    return new Activation(false, byEnvironment);
  }

  public boolean isActiveIn(String environment) {
    return byEnvironment.getOrDefault(environment, unlisted);
  }
}
