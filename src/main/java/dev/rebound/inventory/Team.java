package dev.rebound.inventory;

import java.util.Objects;

/** A team from {@code knowledge/team.yaml}; {@code slackChannel} is null when not given. */
public record Team(String id, String name, String slackChannel) {
  public Team {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
  }
}
