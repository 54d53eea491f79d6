package dev.rebound.slack;

import dev.rebound.engine.Actor;
import dev.rebound.inventory.Person;
import dev.rebound.inventory.TeamDirectory;
import java.util.Optional;

/**
 * A Slack user as a person of {@code knowledge/team.yaml} (its {@code slack_user_id}), with the
 * strongest role they hold. Slack's user id is trusted only because the request's signature
 * proved Slack sent it. Someone not in the file is nobody: refused, with an explanation.
 */
final class SlackUsers {
  private final TeamDirectory team;

  SlackUsers(TeamDirectory team) {
    this.team = team;
  }

  Optional<Person> person(String slackUserId) {
    return slackUserId == null ? Optional.empty() : team.personBySlackId(slackUserId);
  }

  Optional<Actor> actor(String slackUserId) {
    return person(slackUserId).map(p -> Actor.teamMember(p.id(), p.highestRole()));
  }

  static String unknown(String slackUserId) {
    return "Rebound does not know your Slack user (" + slackUserId + "): no one in knowledge/team.yaml has this"
        + " slack_user_id, so Rebound cannot tell your role. Ask an admin to add it; nothing was done.";
  }
}
