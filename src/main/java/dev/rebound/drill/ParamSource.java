package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scenario parameter's value: a literal, or looked up when the drill starts, because some
 * values exist only in the live system (the newest verified snapshot before the fault, the
 * partition of three days ago):
 *
 * <ul>
 *   <li>{@code {from_http: "{{env.FEATURES_URL}}/admin/snapshots", pointer: /snapshots/0/snapshot_id}}:
 *       GET the URL (only {@code {{env.NAME}}} templates) and take the JSON pointer's value;
 *   <li>{@code {days_ago: 3}}: the UTC date that many days before today, {@code yyyy-mm-dd}.
 * </ul>
 */
final class ParamSource {
  private static final Pattern ENV = Pattern.compile("\\{\\{\\s*env\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private ParamSource() {}

  /** What is wrong with a value as written, if anything. */
  static Optional<String> problem(JsonNode value) {
    if (value.isValueNode() && !value.isNull()) {
      return Optional.empty();
    }
    if (value.isObject() && value.size() == 1 && value.path("days_ago").canConvertToInt()
        && value.path("days_ago").asInt() >= 0) {
      return Optional.empty();
    }
    if (value.isObject() && value.size() == 2 && value.path("from_http").isTextual()
        && value.path("pointer").asText().startsWith("/")) {
      return Optional.empty();
    }
    return Optional.of("a parameter is a text, {days_ago: N} or {from_http: URL, pointer: /json/pointer}");
  }

  /**
   * The value now.
   *
   * @param env the template variables runbooks see (for {@code {{env.NAME}}} in URLs)
   * @param getJson GETs a URL and parses its JSON body (blocking)
   * @throws IllegalStateException naming the parameter when a lookup fails
   */
  static String resolve(String name, JsonNode value, Map<String, String> env, Function<String, JsonNode> getJson,
      LocalDate today) {
    if (value.isValueNode()) {
      return value.asText();
    }
    if (value.has("days_ago")) {
      return today.minusDays(value.get("days_ago").asInt()).toString();
    }
    String url = expand(value.get("from_http").asText(), env);
    JsonNode found = getJson.apply(url).at(value.get("pointer").asText());
    if (found.isMissingNode() || found.isNull() || found.isContainerNode()) {
      throw new IllegalStateException("parameter " + name + ": " + url + " has no value at "
          + value.get("pointer").asText());
    }
    return found.asText();
  }

  private static String expand(String template, Map<String, String> env) {
    Matcher m = ENV.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.get(m.group(1));
      if (v == null) {
        throw new IllegalStateException("template variable " + m.group(1) + " is not configured");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }
}
