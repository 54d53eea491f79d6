package dev.rebound.engine;

import dev.rebound.audit.ActorType;
import dev.rebound.inventory.Role;
import java.util.Objects;

/**
 * Who asks the engine to do something, as the engine judges it: the kind of actor (as in the
 * audit log), an id, the role their credential carries, whether the id names a person (the
 * break-glass admin token names nobody, so it can start or stop runs but never approve a step),
 * and whether that role came from a token (the API) or from team.yaml alone (the CLI, Slack), for
 * refusals that name where a role came from.
 *
 * <p>The agent ({@value #AGENT_ID}) and the drill bot ({@value #DRILL_ID}) are identities, never
 * approvers of live runs; {@link #of} maps those ids to their actor types whatever the caller
 * claims, so a token issued to "agent" cannot pass as a person.
 */
public record Actor(ActorType type, String id, Role role, boolean person, boolean roleFromToken) {
  public static final String AGENT_ID = "agent";
  public static final String DRILL_ID = "drill";

  public Actor {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(role, "role");
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("actor id is required");
    }
  }

  /** A caller authenticated by a token issued to {@code id}. */
  public static Actor of(String id, Role role, boolean namesAPerson) {
    if (AGENT_ID.equals(id)) {
      return new Actor(ActorType.AGENT, id, role, false, true);
    }
    if (DRILL_ID.equals(id)) {
      return new Actor(ActorType.DRILL, id, role, false, true);
    }
    return new Actor(ActorType.HUMAN, id, role, namesAPerson, true);
  }

  /** A person with a token in their name. */
  public static Actor person(String id, Role role) {
    return of(id, role, true);
  }

  /**
   * A person known by team.yaml alone, with their role there: {@code rebound runs} on the
   * server's host, or a Slack user mapped through {@code slack_user_id}; no token involved.
   */
  public static Actor teamMember(String id, Role role) {
    Actor token = person(id, role);
    return new Actor(token.type(), id, role, token.person(), false);
  }

  /** The drill bot, which alone may start (and approve the steps of) drill runs. */
  public static Actor drill() {
    return new Actor(ActorType.DRILL, DRILL_ID, Role.RESPONDER, false, false);
  }

  /** The agent, which may propose runs but never approve a step. */
  public static Actor agent() {
    return new Actor(ActorType.AGENT, AGENT_ID, Role.RESPONDER, false, false);
  }

  /** Rebound itself (recovery, the poller), in audit entries. */
  public static Actor system(String ownerId) {
    return new Actor(ActorType.SYSTEM, ownerId, Role.VIEWER, false, false);
  }
}
