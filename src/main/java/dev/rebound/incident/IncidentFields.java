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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The incident fields, read strictly from a tree (YAML front matter or an API request body):
 * every problem is reported with the JSON Pointer of the field, unknown keys included, so a
 * typo ({@code root-cause}) is an error rather than a silently missing value.
 *
 * <p>A file and a request are read alike, with two differences. A request must give text as JSON
 * strings ({@code "title": 42} is refused, not turned into "42"), while YAML's plain scalars are
 * text as written ({@code title: 404s on checkout}, {@code id: 2024} are fine in a file). And a
 * request's assets must exist in the inventory (the console fetches the impact of each), while a
 * file is history: it may name an asset retired since.
 */
final class IncidentFields {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");
  // At most 9 digits per unit: the sum cannot overflow.
  private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,9})d)?(?:(\\d{1,9})h)?(?:(\\d{1,9})m)?(?:(\\d{1,9})s)?");
  /** One entry of assets, symptoms or runbooks_used: an id or an alert name, not a paragraph. */
  static final int MAX_ENTRY = 200;
  /** root_cause and resolution: a few paragraphs; the postmortem's detail belongs in the body. */
  static final int MAX_TEXT = 10_000;
  /**
   * How far ahead of this server's clock a date may be. A date without a time is midnight UTC,
   * which is up to 14 hours ahead of the clock for a reporter east of UTC writing their today,
   * and a reporter's clock may be off by minutes: a day covers both, while a date that would
   * sort first for good and run the RTO clock backwards is refused.
   */
  static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);
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
  private final Instant now;
  private final Predicate<String> assetExists;

  private IncidentFields(JsonNode root, Problems problems, boolean bodyAllowed, Instant now, Predicate<String> assetExists) {
    this.root = root;
    this.problems = problems;
    this.bodyAllowed = bodyAllowed;
    this.now = now;
    this.assetExists = assetExists;
  }

  /**
   * The incident of a file, or empty when there were problems (all reported); {@code fileBody}
   * is its body. Any asset id is accepted.
   */
  static Optional<Incident> readFile(JsonNode root, Problems problems, String fileBody, Optional<String> file, Instant now) {
    return new IncidentFields(root, problems, false, now, id -> true).incident(fileBody, file);
  }

  /**
   * The incident of an API request (its {@code body} field is the postmortem text), or empty
   * when there were problems (all reported). Its assets must be ones {@code assetExists} knows.
   */
  static Optional<Incident> readRequest(JsonNode root, Problems problems, Instant now, Predicate<String> assetExists) {
    return new IncidentFields(root, problems, true, now, assetExists).incident("", Optional.empty());
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
    if (title != null && title.length() > Incident.MAX_TITLE) {
      report(false, "/title", "title is " + title.length() + " characters; at most " + Incident.MAX_TITLE
          + " (put the detail in symptoms, root_cause or the body)");
    }
    Instant date = text("date", true).flatMap(this::date).orElse(null);
    Severity severity = choice("severity", true, Severity.class).orElse(null);
    // A file in knowledge/incidents/ is a postmortem: resolved unless it says otherwise. An incident
    // reported through the API is happening now: open unless it says otherwise.
    IncidentStatus status = choice("status", false, IncidentStatus.class)
        .orElse(bodyAllowed ? IncidentStatus.OPEN : IncidentStatus.RESOLVED);
    List<String> assets = list("assets", (pointer, asset) -> {
      if (!assetExists.test(asset)) {
        report(false, pointer, "unknown asset '" + asset + "' (not in knowledge/assets.yaml)");
      }
    });
    List<String> symptoms = list("symptoms", (pointer, symptom) -> {});
    Optional<String> detectedBy = text("detected_by", false);
    detectedBy.filter(d -> !DETECTED_BY.contains(d)).ifPresent(d ->
        report(false, "/detected_by", "detected_by must be one of alert, customer, engineer, drill; got '" + d + "'"));
    Optional<Duration> duration = text("duration", false).flatMap(this::duration);
    String rootCause = longText("root_cause");
    String resolution = longText("resolution");
    List<RunbookRef> runbooks = new ArrayList<>();
    list("runbooks_used", (pointer, text) -> {
      Optional<RunbookRef> ref = RunbookRef.parse(text);
      if (ref.isEmpty()) {
        report(false, pointer, "expected runbook-id@version, e.g. feature-store-restore@1; got '" + text + "'");
      }
      ref.ifPresent(runbooks::add);
    });
    String body = bodyAllowed ? text("body", false).orElse("") : fileBody;
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
    if (bodyAllowed && !node.isTextual()) {
      report(false, "/" + key, key + " must be a JSON string, not " + jsonType(node) + " " + node);
      return Optional.empty();
    }
    return Optional.of(node.asText().strip());
  }

  private String longText(String key) {
    String value = text(key, false).orElse("");
    if (value.length() > MAX_TEXT) {
      report(false, "/" + key, key + " is " + value.length() + " characters; at most " + MAX_TEXT
          + " (put the detail in the body)");
    }
    return value;
  }

  private static String jsonType(JsonNode node) {
    return node.isNumber() ? "a number" : node.isBoolean() ? "a boolean" : "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
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

  /** The list's entries; {@code each} checks every well-formed one, given its pointer ({@code /assets/2}). */
  private List<String> list(String key, java.util.function.BiConsumer<String, String> each) {
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
      if (!item.isValueNode() || item.isNull() || item.asText().isBlank() || (bodyAllowed && !item.isTextual())) {
        report(false, "/" + key + "/" + i, key + " entries must be non-empty text" + (bodyAllowed ? " (JSON strings)" : ""));
      } else if (item.asText().strip().length() > MAX_ENTRY) {
        report(false, "/" + key + "/" + i, key + " entries are at most " + MAX_ENTRY + " characters; this one is "
            + item.asText().strip().length());
      } else {
        out.add(item.asText().strip());
        each.accept("/" + key + "/" + i, item.asText().strip());
      }
    }
    return out;
  }

  private Optional<Instant> date(String text) {
    try {
      Instant date = text.length() <= 10
          ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(text).toInstant();
      if (date.isAfter(now.plus(MAX_CLOCK_SKEW))) {
        report(false, "/date", "date " + text + " is in the future: give when the incident began (now is "
            + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")");
        return Optional.empty();
      }
      return Optional.of(date);
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
