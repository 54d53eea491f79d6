package dev.rebound.inventory;

import dev.rebound.yaml.PositionedYaml;
import dev.rebound.yaml.YamlProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The problems found in one file. Loading never stops at the first problem: a person fixing
 * assets.yaml wants the whole list, each at the line to edit.
 */
final class Problems {
  private final PositionedYaml yaml;
  private final List<YamlProblem> found = new ArrayList<>();

  Problems(PositionedYaml yaml) {
    this.yaml = yaml;
  }

  /** At the value found at {@code pointer}: wrong values, dangling references. */
  void at(String pointer, String message) {
    found.add(yaml.problemAt(pointer, message));
  }

  /** At the key of {@code pointer}: unknown keys. */
  void atKey(String pointer, String message) {
    found.add(yaml.problemAtKey(pointer, message));
  }

  int line(String pointer) {
    return yaml.position(pointer).line();
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  /** In reading order; problems at the same position keep the order they were found in. */
  List<YamlProblem> sorted() {
    List<YamlProblem> copy = new ArrayList<>(found);
    copy.sort(
        Comparator.comparingInt((YamlProblem p) -> p.position().line())
            .thenComparingInt(p -> p.position().column()));
    return copy;
  }
}
