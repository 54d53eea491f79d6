package dev.rebound.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Small list checks shared by the readers. */
final class Lists {
  private Lists() {}

  /** Drops repeated entries, reporting each repeat where it was written. */
  static List<Located> distinct(MappingReader m, String key, List<Located> entries) {
    Set<String> seen = new HashSet<>();
    List<Located> out = new ArrayList<>();
    for (Located e : entries) {
      if (seen.add(e.value())) {
        out.add(e);
      } else {
        m.problemAt(e.pointer(), "'" + e.value() + "' is listed twice in '" + m.field(key) + "'");
      }
    }
    return out;
  }
}
