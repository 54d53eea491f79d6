package dev.rebound.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The incident fields, read strictly from a tree (YAML front matter or an API request body):
 * every problem is reported with the JSON Pointer of the field, unknown keys included, so a
 * typo ({@code root-cause}) is an error rather than a silently missing value.
 */
final class IncidentFields {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");
  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
  private static final Set<String> KEYS = Set.of("id", "title", "date", "severity", "status", "assets", "symptoms",
      "detected_by", "duration", "root_cause", "resolution", "runbooks_used", "body");
  private static final Set<String> DETECTED_BY = Set.of("alert", "customer", "engineer", "drill");

  /** Where a problem goes: {@code pointer} is a JSON Pointer such as {@code /severity}. */
  interface Problems {
    void at(String pointer, String message);

    void atKey(String pointer, String message);
  }

  private final JsonNode root;
  private final Problems problems;
  private final boolean bodyAllowed;

  private IncidentFields(JsonNode root, Problems problems, boolean bodyAllowed) {
    this.root = root;
    this.problems = problems;
    this.bodyAllowed = bodyAllowed;
  }

  /**
   * The incident, or empty when there were problems (all reported). {@code body} from the file
   * is used unless {@code bodyAllowed} (API) and the tree has one.
   */
  static Optional<Incident> read(JsonNode root, Problems problems, String fileBody, Optional<String> file, boolean bodyAllowed) {
    return new IncidentFields(root, problems, bodyAllowed).incident(fileBody, file);
  }

  private Optional<Incident> incident(String fileBody, Optional<String> file) {
    if (root == null || !root.isObject()) {
      problems.at("", "expected a mapping of incident fields");
      return Optional.empty();
    }
    int before = count;
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key) || (key.equals("body") && !bodyAllowed)) {
        report(true, "/" + key, "unknown field '" + key + "' (expected one of " + String.join(", ",
            KEYS.stream().filter(k -> bodyAllowed || !k.equals("body")).sorted().toList()) + ")");
      }
    }
    String id = text("id", true).orElse(null);
    if (id != null && !ID.matcher(id).matches()) {
      report(false, "/id", "id must be letters, digits, '.', '_' or '-' (at most 80), e.g. INC-2025-014; got '" + id + "'");
    }
    String title = text("title", true).orElse(null);
    Instant date = text("date", true).flatMap(this::date).orElse(null);
    Severity severity = choice("severity", true, Severity.class).orElse(null);
    // A file in knowledge/incidents/ is a postmortem: resolved unless it says otherwise. An incident
    // reported through the API is happening now: open unless it says otherwise.
    IncidentStatus status = choice("status", false, IncidentStatus.class)
        .orElse(bodyAllowed ? IncidentStatus.OPEN : IncidentStatus.RESOLVED);
    List<String> assets = list("assets");
    List<String> symptoms = list("symptoms");
    Optional<String> detectedBy = text("detected_by", false);
    detectedBy.filter(d -> !DETECTED_BY.contains(d)).ifPresent(d ->
        report(false, "/detected_by", "detected_by must be one of alert, customer, engineer, drill; got '" + d + "'"));
    Optional<Duration> duration = text("duration", false).flatMap(this::duration);
    String rootCause = text("root_cause", false).orElse("");
    String resolution = text("resolution", false).orElse("");
    List<RunbookRef> runbooks = new ArrayList<>();
    List<String> refs = list("runbooks_used");
    for (int i = 0; i < refs.size(); i++) {
      Optional<RunbookRef> ref = RunbookRef.parse(refs.get(i));
      if (ref.isEmpty()) {
        report(false, "/runbooks_used/" + i, "expected runbook-id@version, e.g. feature-store-restore@1; got '" + refs.get(i) + "'");
      }
      ref.ifPresent(runbooks::add);
    }
    String body = bodyAllowed ? text("body", false).orElse(fileBody) : fileBody;
    if (count > before) {
      return Optional.empty();
    }
    return Optional.of(new Incident(id, title, date, severity, status, assets, symptoms, detectedBy, duration,
        rootCause, resolution, runbooks, body, file));
  }

  private int count;

  private void report(boolean atKey, String pointer, String message) {
    count++;
    if (atKey) {
      problems.atKey(pointer, message);
    } else {
      problems.at(pointer, message);
    }
  }

  private Optional<String> text(String key, boolean required) {
    JsonNode node = root.get(key);
    if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
      if (required) {
        report(false, "", "missing required field '" + key + "'");
      }
      return Optional.empty();
    }
    if (!node.isValueNode()) {
      report(false, "/" + key, key + " must be a single value, not a " + (node.isArray() ? "list" : "mapping"));
      return Optional.empty();
    }
    return Optional.of(node.asText().strip());
  }

  private <E extends Enum<E>> Optional<E> choice(String key, boolean required, Class<E> type) {
    return text(key, required).flatMap(value -> {
      for (E e : type.getEnumConstants()) {
        if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
          return Optional.of(e);
        }
      }
      List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
      report(false, "/" + key, key + " must be one of " + String.join(", ", names) + "; got '" + value + "'");
      return Optional.empty();
    });
  }

  private List<String> list(String key) {
    JsonNode node = root.get(key);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      report(false, "/" + key, key + " must be a list, e.g. [a, b]");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
        report(false, "/" + key + "/" + i, key + " entries must be non-empty text");
      } else {
        out.add(item.asText().strip());
      }
    }
    return out;
  }

  private Optional<Instant> date(String text) {
    try {
      if (text.length() <= 10) {
        return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
      }
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      report(false, "/date", "date must be YYYY-MM-DD or an ISO date-time with offset (2025-06-12T03:14:00Z); got '" + text + "'");
      return Optional.empty();
    }
  }

  private Optional<Duration> duration(String text) {
    Matcher m = DURATION.matcher(text.replace(" ", ""));
    if (text.isBlank() || !m.matches() || m.group().isEmpty()) {
      report(false, "/duration", "duration must look like 1h40m, 90m or 2d; got '" + text + "'");
      return Optional.empty();
    }
    Duration d = Duration.ZERO;
    long[] unit = {86400, 3600, 60, 1};
    for (int g = 1; g <= 4; g++) {
      if (m.group(g) != null) {
        d = d.plusSeconds(Long.parseLong(m.group(g)) * unit[g - 1]);
      }
    }
    return Optional.of(d);
  }
}
