package dev.rebound.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.error.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Something that happened and must be on the record, before it gets its place in the chain
 * ({@link AuditEntry} adds seq, time and hashes). Immutable: {@code details} is copied in and
 * out.
 *
 * <pre>{@code
 * AuditEvent.of(ActorType.HUMAN, "alice", "step.approved", "step", runId + "/restore")
 *     .withRun(runId)
 *     .withDetails(Map.of("content_hash", hash, "risk", "high"));
 * }</pre>
 *
 * @param action dotted lower case, noun then verb: {@code runbook.approved}, {@code tool.called}
 * @param details any JSON object; strings are masked against secrets before storing
 */
public record AuditEvent(
    ActorType actorType,
    String actorId,
    String action,
    String subjectType,
    String subjectId,
    Optional<String> runId,
    Optional<String> incidentId,
    ObjectNode details) {

  static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
  private static final int MAX_ID_LENGTH = 500;

  /** @throws ValidationException listing every problem */
  public AuditEvent {
    runId = runId == null ? Optional.empty() : runId;
    incidentId = incidentId == null ? Optional.empty() : incidentId;
    details = details == null ? AuditJson.MAPPER.createObjectNode() : details.deepCopy();
    List<String> problems = new ArrayList<>();
    if (actorType == null) {
      problems.add("actor type is required");
    }
    checkId("actor id", actorId, problems);
    if (action == null || !ACTION.matcher(action).matches()) {
      problems.add("action must be dotted lower case like runbook.approved, got " + quoted(action));
    }
    checkId("subject type", subjectType, problems);
    checkId("subject id", subjectId, problems);
    runId.ifPresent(id -> checkId("run id", id, problems));
    incidentId.ifPresent(id -> checkId("incident id", id, problems));
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
  }

  /** An event without run, incident or details. */
  public static AuditEvent of(
      ActorType actorType, String actorId, String action, String subjectType, String subjectId) {
    return new AuditEvent(actorType, actorId, action, subjectType, subjectId,
        Optional.empty(), Optional.empty(), null);
  }

  public AuditEvent withRun(String id) {
    return new AuditEvent(actorType, actorId, action, subjectType, subjectId,
        Optional.of(id), incidentId, details);
  }

  public AuditEvent withIncident(String id) {
    return new AuditEvent(actorType, actorId, action, subjectType, subjectId,
        runId, Optional.of(id), details);
  }

  /** Details from a JSON object. */
  public AuditEvent withDetails(JsonNode object) {
    if (object == null || !object.isObject()) {
      throw new ValidationException("audit details must be a JSON object");
    }
    return new AuditEvent(actorType, actorId, action, subjectType, subjectId,
        runId, incidentId, (ObjectNode) object);
  }

  /** Details from a map of plain values (strings, numbers, booleans, lists, maps, records). */
  public AuditEvent withDetails(Map<String, ?> values) {
    JsonNode tree = AuditJson.MAPPER.valueToTree(Objects.requireNonNull(values, "values"));
    return withDetails(tree);
  }

  @Override
  public ObjectNode details() {
    return details.deepCopy();
  }

  /** The details without copying, for code in this package that only reads them. */
  ObjectNode detailsView() {
    return details;
  }

  private static void checkId(String what, String value, List<String> problems) {
    if (value == null || value.isBlank()) {
      problems.add(what + " is required");
    } else if (value.length() > MAX_ID_LENGTH) {
      problems.add(what + " is longer than " + MAX_ID_LENGTH + " characters");
    } else if (value.indexOf('\0') >= 0) {
      problems.add(what + " contains a NUL character");
    }
  }

  private static String quoted(String text) {
    return text == null ? "nothing" : "\"" + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "\"";
  }
}
