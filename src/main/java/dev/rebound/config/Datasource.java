package dev.rebound.config;

import java.util.Optional;

/**
 * A SQL datasource runbooks may name in a {@code sql} action or check. Either a schema
 * ({@code search_path}) in Rebound's own database, or a separate database whose URL is in the
 * environment variable {@code url_env} (resolved at start-up; empty when the variable is unset,
 * which is reported only when a runbook actually uses the datasource).
 */
public record Datasource(
    String name, Optional<String> searchPath, Optional<String> urlEnv, Optional<DatabaseUrl> url) {

  /** True when using it cannot work: its URL variable is not set. */
  public boolean isMissingUrl() {
    return urlEnv.isPresent() && url.isEmpty();
  }
}
