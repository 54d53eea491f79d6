package dev.rebound.engine;

import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the engine's audit events. Subjects are {@code run <id>} or {@code step <run>/<step>};
 * every event carries the run id (and the incident when the run has one), so a run's timeline is
 * one indexed query.
 */
final class Events {
  private Events() {}

  static AuditEvent run(Actor actor, String action, RunRecord run, Map<String, ?> details) {
    return run(actor.type(), actor.id(), action, run.id(), run.incidentId().orElse(null), details);
  }

  static AuditEvent run(ActorType type, String actorId, String action, String runId, String incidentId,
      Map<String, ?> details) {
    AuditEvent event = AuditEvent.of(type, actorId, action, "run", runId).withRun(runId).withDetails(details);
    return incidentId == null ? event : event.withIncident(incidentId);
  }

  static AuditEvent step(Actor actor, String action, RunRecord run, String stepId, Map<String, ?> details) {
    AuditEvent event = AuditEvent.of(actor.type(), actor.id(), action, "step", run.id() + "/" + stepId)
        .withRun(run.id()).withDetails(withStep(stepId, details));
    return run.incidentId().map(event::withIncident).orElse(event);
  }

  /** A mutable details map keeping insertion order, for values that may be null. */
  static Map<String, Object> details(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static Map<String, ?> withStep(String stepId, Map<String, ?> details) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("step_id", stepId);
    map.putAll(details);
    return map;
  }
}
