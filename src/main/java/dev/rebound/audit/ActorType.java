package dev.rebound.audit;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Who acted: a person, the AI agent, Rebound itself (recovery, timers), or the drill bot. The
 * agent and the drill bot are identities in the log, never approvers of live runs.
 */
public enum ActorType {
  HUMAN,
  AGENT,
  SYSTEM,
  DRILL;

  /** The stored form, e.g. {@code human}. */
  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ActorType> fromDb(String text) {
    return Arrays.stream(values()).filter(t -> t.dbName().equals(text)).findFirst();
  }
}
