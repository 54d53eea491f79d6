package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.yaml.PositionedYaml;
import dev.rebound.yaml.SourcePosition;
import dev.rebound.yaml.YamlProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/**
 * Places schema violations in the file: an unknown or badly named key at that key, a missing
 * key at the mapping that lacks it, anything else at the offending value.
 */
final class SchemaProblems {
  static final Comparator<YamlProblem> BY_POSITION =
      Comparator.comparing(YamlProblem::file)
          .thenComparingInt((YamlProblem p) -> p.position().line())
          .thenComparingInt(p -> p.position().column())
          .thenComparing(YamlProblem::message);

  private SchemaProblems() {}

  /**
   * @param basePointer where {@code instanceRoot} sits in the file ({@code ""} for the whole
   *     document, {@code /params/limit} for a parameter schema)
   */
  static List<YamlProblem> place(
      List<SchemaViolation> violations,
      PositionedYaml yaml,
      String basePointer,
      JsonNode instanceRoot,
      Function<String, List<String>> allowedKeys) {
    LinkedHashSet<YamlProblem> out = new LinkedHashSet<>();
    for (SchemaViolation v : violations) {
      String pointer = basePointer + v.pointer();
      String message = SchemaMessages.describe(v, Json.displayPath(pointer), instanceRoot, allowedKeys);
      out.add(new YamlProblem(yaml.file(), position(yaml, pointer, v), message));
    }
    List<YamlProblem> sorted = new ArrayList<>(out);
    sorted.sort(BY_POSITION);
    return sorted;
  }

  private static SourcePosition position(PositionedYaml yaml, String pointer, SchemaViolation v) {
    boolean aboutAKey = v.keyword().equals("additionalProperties") || v.keyword().equals("propertyNames");
    if (aboutAKey && v.property() != null) {
      return yaml.keyPosition(Json.child(pointer, v.property()));
    }
    return yaml.position(pointer);
  }
}
