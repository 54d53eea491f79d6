package dev.rebound.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * People and teams with lookups by id and by Slack user id (how a Slack button click becomes a
 * person with roles). Person and team ids share one namespace because an asset's owner may name
 * either. The public constructor refuses duplicates with an {@link IllegalArgumentException};
 * {@link TeamLoader} reports them with positions instead.
 */
public final class TeamDirectory {
  private final Map<String, Person> people = new LinkedHashMap<>();
  private final Map<String, Person> bySlackId = new LinkedHashMap<>();
  private final Map<String, Team> teams = new LinkedHashMap<>();

  public TeamDirectory(List<Person> people, List<Team> teams) {
    for (Team t : teams) {
      if (this.teams.putIfAbsent(t.id(), t) != null) {
        throw new IllegalArgumentException("duplicate team id '" + t.id() + "'");
      }
    }
    for (Person p : people) {
      if (this.teams.containsKey(p.id()) || this.people.putIfAbsent(p.id(), p) != null) {
        throw new IllegalArgumentException("duplicate id '" + p.id() + "'");
      }
      if (p.slackUserId() != null && bySlackId.putIfAbsent(p.slackUserId(), p) != null) {
        throw new IllegalArgumentException("duplicate slack_user_id '" + p.slackUserId() + "'");
      }
    }
  }

  public List<Person> people() {
    return List.copyOf(people.values());
  }

  public List<Team> teams() {
    return List.copyOf(teams.values());
  }

  public Optional<Person> person(String id) {
    return Optional.ofNullable(people.get(id));
  }

  public Optional<Person> personBySlackId(String slackUserId) {
    return Optional.ofNullable(bySlackId.get(slackUserId));
  }

  public Optional<Team> team(String id) {
    return Optional.ofNullable(teams.get(id));
  }

  /** People who list {@code teamId} among their teams, in file order. */
  public List<Person> members(String teamId) {
    return people.values().stream().filter(p -> p.teams().contains(teamId)).toList();
  }

  /** Whether an asset owner id names a team or a person; pass as {@code ownerExists} to the asset loader. */
  public boolean ownerExists(String id) {
    return teams.containsKey(id) || people.containsKey(id);
  }
}
