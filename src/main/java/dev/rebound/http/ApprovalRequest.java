package dev.rebound.http;

import dev.rebound.error.ValidationException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/runbooks/{id}/approve}:
 * {@code {"version": 3, "comment": "…", "content_hash": "…"}}. The version is required so that
 * an approver approves the version they reviewed, never whatever happens to be on disk by the
 * time the request arrives; {@code content_hash} (optional, as {@code GET /api/runbooks/{id}}
 * showed it) also catches an edit that did not bump the version.
 */
record ApprovalRequest(int version, Optional<String> comment, Optional<String> contentHash) {
  static final int MAX_COMMENT_LENGTH = 2000;
  private static final Set<String> FIELDS = Set.of("version", "comment", "content_hash");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /** @throws ValidationException listing every problem with the body */
  static ApprovalRequest from(JsonObject body) {
    List<String> problems = new ArrayList<>();
    Object version = body.getValue("version");
    int parsed = 0;
    if (version == null) {
      problems.add("version is required: the runbook version you reviewed, e.g. {\"version\": 3}");
    } else if (!(version instanceof Integer || version instanceof Long) || ((Number) version).longValue() < 1
        || ((Number) version).longValue() > Integer.MAX_VALUE) {
      problems.add("version must be a positive integer, got " + describe(version));
    } else {
      parsed = ((Number) version).intValue();
    }
    Object comment = body.getValue("comment");
    if (comment != null && !(comment instanceof String)) {
      problems.add("comment must be a string");
    } else if (comment != null && ((String) comment).length() > MAX_COMMENT_LENGTH) {
      problems.add("comment is longer than " + MAX_COMMENT_LENGTH + " characters");
    }
    Object hash = body.getValue("content_hash");
    if (hash != null && !(hash instanceof String text && SHA256_HEX.matcher(text).matches())) {
      problems.add("content_hash must be 64 lower-case hex characters (SHA-256), as the runbook's detail shows it");
    }
    body.fieldNames().stream().filter(f -> !FIELDS.contains(f)).sorted()
        .forEach(f -> problems.add("unknown field '" + f + "' (known: version, comment, content_hash)"));
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    return new ApprovalRequest(parsed, Optional.ofNullable((String) comment).filter(c -> !c.isBlank()),
        Optional.ofNullable((String) hash));
  }

  /** A JSON value as sent, with its type when that is what is wrong: {@code "1" (a string)}, not {@code 1}. */
  private static String describe(Object value) {
    if (value instanceof String text) {
      return Json.encode(text) + " (a string)";
    }
    if (value instanceof Boolean) {
      return value + " (a boolean)";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    return String.valueOf(value);
  }
}
