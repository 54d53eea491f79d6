package dev.rebound.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The Slack app: its two secrets (environment only; the Slack endpoints are off unless both are
 * set), the {@code slack:} block of {@code rebound.yaml}, and where Slack's Web API is
 * ({@code SLACK_API_BASE_URL}, default {@value #DEFAULT_API_BASE_URL}; tests point it at a fake).
 */
public record SlackSettings(
    Optional<Secret> signingSecret, Optional<Secret> botToken, SlackPolicy policy, String apiBaseUrl) {
  public static final String DEFAULT_API_BASE_URL = "https://slack.com";

  public SlackSettings {
    Objects.requireNonNull(policy, "policy");
    apiBaseUrl = apiBaseUrl == null ? DEFAULT_API_BASE_URL : apiBaseUrl.replaceAll("/+$", "");
  }

  /** Credentials only, default policy and API (tests). */
  public SlackSettings(Optional<Secret> signingSecret, Optional<Secret> botToken) {
    this(signingSecret, botToken, SlackPolicy.none(), DEFAULT_API_BASE_URL);
  }

  public boolean enabled() {
    return signingSecret.isPresent() && botToken.isPresent();
  }
}
