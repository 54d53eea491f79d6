package dev.rebound.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * One stored entry of the chain: the event as written (details already masked), its place
 * ({@code seq}, gap-free from 1), its time, and the two hashes that link it to the entry
 * before. {@link #toJson()} is the form of exports and of the HTTP API; {@link #fromJson} reads
 * it back.
 */
public record AuditEntry(
    long seq,
    Instant at,
    ActorType actorType,
    String actorId,
    String action,
    String subjectType,
    String subjectId,
    Optional<String> runId,
    Optional<String> incidentId,
    JsonNode details,
    String prevHash,
    String hash) {

  /** The fields of {@link #toJson()}: all an entry has. */
  private static final java.util.Set<String> FIELDS = java.util.Set.of("seq", "at", "actor_type", "actor_id",
      "action", "subject_type", "subject_id", "run_id", "incident_id", "details", "prev_hash", "hash");

  public AuditEntry {
    details = details.deepCopy();
  }

  @Override
  public JsonNode details() {
    return details.deepCopy();
  }

  JsonNode detailsView() {
    return details;
  }

  /** Every field, snake_case, in a fixed order; {@code at} as in the hash (UTC, microseconds). */
  public ObjectNode toJson() {
    ObjectNode json = AuditJson.MAPPER.createObjectNode();
    json.put("seq", seq);
    json.put("at", ChainHash.formatAt(at));
    json.put("actor_type", actorType.dbName());
    json.put("actor_id", actorId);
    json.put("action", action);
    json.put("subject_type", subjectType);
    json.put("subject_id", subjectId);
    json.put("run_id", runId.orElse(null));
    json.put("incident_id", incidentId.orElse(null));
    json.set("details", details.deepCopy());
    json.put("prev_hash", prevHash);
    json.put("hash", hash);
    return json;
  }

  /**
   * {@link #toJson()} as plain Java values (maps, lists, strings, booleans, {@code BigDecimal} and
   * {@code BigInteger} for numbers, so no digit is lost), for encoders such as Vert.x
   * {@code JsonObject}.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> toMap() {
    return AuditJson.MAPPER.convertValue(toJson(), Map.class);
  }

  /** {@link #toJson()} on one line, as in an export. */
  public String toJsonLine() {
    return AuditJson.write(toJson());
  }

  /**
   * Reads the {@link #toJson()} form. Does not check the hashes (that is the verifier's job),
   * only that every field is there with the right type.
   *
   * @throws IllegalArgumentException naming the first bad field
   */
  public static AuditEntry fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    // The hash covers only the fields below: another one would be shown to a reader of the
    // export as part of the record while the chain still verifies.
    for (var names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("field '" + name + "' is not part of an audit entry (its hash does not"
            + " cover it)");
      }
    }
    JsonNode seq = json.get("seq");
    if (seq == null || !seq.canConvertToExactIntegral() || !seq.canConvertToLong()) {
      throw new IllegalArgumentException("seq must be an integer");
    }
    Instant at;
    try {
      at = Instant.parse(required(json, "at"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("at is not an ISO-8601 instant");
    }
    String actorType = required(json, "actor_type");
    JsonNode details = json.get("details");
    if (details == null || !details.isObject()) {
      throw new IllegalArgumentException("details must be a JSON object");
    }
    return new AuditEntry(
        seq.asLong(),
        at,
        ActorType.fromDb(actorType)
            .orElseThrow(() -> new IllegalArgumentException("unknown actor_type \"" + actorType + "\"")),
        required(json, "actor_id"),
        required(json, "action"),
        required(json, "subject_type"),
        required(json, "subject_id"),
        optional(json, "run_id"),
        optional(json, "incident_id"),
        details,
        required(json, "prev_hash"),
        required(json, "hash"));
  }

  /** Parses one export line. */
  public static AuditEntry fromJsonLine(String line) {
    return fromJson(AuditJson.parse(line));
  }

  private static String required(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return value.textValue();
  }

  private static Optional<String> optional(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string or null");
    }
    return Optional.of(value.textValue());
  }
}
