package dev.rebound.inventory;

import java.util.HashMap;
import java.util.Map;

/** Remembers where each value was first written, so a repeat is reported with the line of the original. */
final class FirstSeen {
  private final Map<String, Located> first = new HashMap<>();
  private final Problems problems;
  private final String what;

  /** {@code what} names the kind of value in messages: "id", "slack_user_id". */
  FirstSeen(Problems problems, String what) {
    this.problems = problems;
    this.what = what;
  }

  /** False (and reported) when the value was seen before. */
  boolean add(Located value) {
    Located earlier = first.putIfAbsent(value.value(), value);
    if (earlier == null) {
      return true;
    }
    problems.at(value.pointer(), "duplicate " + what + " '" + value.value()
        + "' (first defined at line " + problems.line(earlier.pointer()) + ")");
    return false;
  }

  boolean contains(String value) {
    return first.containsKey(value);
  }
}
