package dev.rebound.inventory;

import java.util.regex.Pattern;

/** The id syntax shared by assets, people and teams: lower case, readable in a URL and a log line. */
final class Ids {
  static final Pattern PATTERN = Pattern.compile("^[a-z0-9][a-z0-9._-]*$");

  private Ids() {}

  /** Reports and returns false when {@code id} does not match the id syntax. */
  static boolean check(MappingReader m, String key, Located id) {
    if (PATTERN.matcher(id.value()).matches()) {
      return true;
    }
    m.problem(key, "'" + m.field(key) + "' value '" + id.value() + "' must match " + PATTERN.pattern());
    return false;
  }
}
