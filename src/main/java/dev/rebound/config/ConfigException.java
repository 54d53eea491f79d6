package dev.rebound.config;

import dev.rebound.error.ValidationException;
import java.util.List;

/**
 * The configuration is unusable. {@link #problems()} has one line per bad value, each naming the
 * variable or {@code file:line:col} and what is wrong, e.g.
 * {@code REBOUND_HTTP_PORT: "abc" is not a port number}. Never contains a secret's value.
 */
public final class ConfigException extends ValidationException {
  public ConfigException(List<String> problems) {
    super("invalid_config", problems);
  }

  /** All problems, one per line, for printing at start-up. */
  public String report() {
    return "invalid configuration:\n  " + String.join("\n  ", problems());
  }
}
