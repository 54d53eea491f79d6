package dev.rebound.incident;

import dev.rebound.audit.ActorType;
import java.util.Map;
import java.util.Objects;

/**
 * Who reports an incident, as its {@code incident.reported} audit entry names them, and the
 * details the edge it came through adds ({@code via}: api, slack, alertmanager; a channel, …).
 */
public record Reporter(ActorType type, String id, Map<String, ?> details) {
  public Reporter {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    details = Map.copyOf(details);
  }

  /** A person (or a token acting for one), e.g. the Slack user who typed {@code /rebound}. */
  public static Reporter person(String id, Map<String, ?> details) {
    return new Reporter(ActorType.HUMAN, id, details);
  }
}
