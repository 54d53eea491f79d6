package dev.rebound.inventory;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A person from {@code knowledge/team.yaml}. {@code email} and {@code slackUserId} are null when
 * not given; {@code roles} is never empty and iterates from weakest to strongest.
 */
public record Person(
    String id, String name, String email, String slackUserId, Set<Role> roles, List<String> teams) {

  public Person {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("person '" + id + "' has no role");
    }
    roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
    teams = List.copyOf(teams);
  }

  /** Whether any of this person's roles allows what requires {@code required}. */
  public boolean has(Role required) {
    return roles.stream().anyMatch(r -> r.allows(required));
  }

  public Role highestRole() {
    return Collections.max(roles);
  }
}
