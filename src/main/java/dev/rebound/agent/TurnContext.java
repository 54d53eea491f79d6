package dev.rebound.agent;

import java.time.Instant;
import java.util.Objects;

/**
 * One turn of a conversation: the incident it is about, who asked (a person, for the audit
 * log and as the requester the engine records), an id shared by the turn's audit entries, and
 * the time after which no model call starts.
 */
record TurnContext(String incidentId, String caller, String turnId, Instant deadline) {
  TurnContext {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(turnId, "turnId");
    Objects.requireNonNull(deadline, "deadline");
  }
}
