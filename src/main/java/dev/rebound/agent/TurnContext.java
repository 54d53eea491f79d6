package dev.rebound.agent;

import dev.rebound.engine.Actor;
import java.time.Instant;
import java.util.Objects;

/**
 * One turn of a conversation: the incident it is about, who asked (the authenticated person: in
 * the audit log, and the requester of any run the agent proposes for them, so the engine's
 * four-eyes rule excludes them from approving its high-risk steps), an id shared by the turn's
 * audit entries, and the time after which no model call starts.
 */
record TurnContext(String incidentId, Actor person, String turnId, Instant deadline) {
  TurnContext {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(turnId, "turnId");
    Objects.requireNonNull(deadline, "deadline");
  }

  /** The id of the person who asked. */
  String caller() {
    return person.id();
  }
}
