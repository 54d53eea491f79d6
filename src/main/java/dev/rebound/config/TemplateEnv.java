package dev.rebound.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The declared template variables with their values resolved once at start-up: the
 * environment's value if set (and not blank), else the declared default. Variables with neither
 * have no value; rendering a runbook that uses one is the renderer's error to report.
 */
public final class TemplateEnv {
  private final Map<String, TemplateVariable> declared;
  private final Map<String, String> values;

  TemplateEnv(Map<String, TemplateVariable> declared, Map<String, String> env) {
    this.declared = Collections.unmodifiableMap(new LinkedHashMap<>(declared));
    Map<String, String> resolved = new LinkedHashMap<>();
    for (TemplateVariable variable : declared.values()) {
      Optional<String> fromEnv =
          Optional.ofNullable(env.get(variable.name())).filter(v -> !v.isBlank());
      fromEnv.or(variable::defaultValue).ifPresent(v -> resolved.put(variable.name(), v));
    }
    this.values = Collections.unmodifiableMap(resolved);
  }

  static TemplateEnv empty() {
    return new TemplateEnv(Map.of(), Map.of());
  }

  /** Declared variables by name, in file order. */
  public Map<String, TemplateVariable> declared() {
    return declared;
  }

  /** Name → value for every declared variable that has one (environment first, then default). */
  public Map<String, String> values() {
    return values;
  }

  public Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** Names of the variables marked {@code secret: true}: their values must be masked in output. */
  public Set<String> secretNames() {
    Set<String> names = new LinkedHashSet<>();
    declared.values().stream().filter(TemplateVariable::secret).forEach(v -> names.add(v.name()));
    return Collections.unmodifiableSet(names);
  }

  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    values.forEach((k, v) -> shown.put(k, declared.get(k).secret() ? "***" : v));
    return "TemplateEnv" + shown;
  }
}
