package dev.rebound.config;

import java.util.Optional;

/** Slack app credentials; both secrets, both optional (Slack endpoints are off without them). */
public record SlackSettings(Optional<Secret> signingSecret, Optional<Secret> botToken) {
  public boolean enabled() {
    return signingSecret.isPresent() && botToken.isPresent();
  }
}
