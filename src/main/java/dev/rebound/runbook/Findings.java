package dev.rebound.runbook;

import dev.rebound.yaml.PositionedYaml;
import dev.rebound.yaml.YamlProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects lint findings of one runbook, positioned through its parsed source. */
final class Findings {
  private final PositionedYaml yaml;
  private final List<LintFinding> found = new ArrayList<>();

  Findings(PositionedYaml yaml) {
    this.yaml = yaml;
  }

  /** At the value found at {@code pointer} (or its nearest ancestor that has a position). */
  void error(String pointer, String message) {
    found.add(LintFinding.error(yaml.problemAt(pointer, message)));
  }

  /** At the key of the entry at {@code pointer}, where "this key is wrong" belongs. */
  void errorAtKey(String pointer, String message) {
    found.add(LintFinding.error(yaml.problemAtKey(pointer, message)));
  }

  /** A problem positioned elsewhere (e.g. by {@link SchemaProblems}), as an error. */
  void error(YamlProblem problem) {
    found.add(LintFinding.error(problem));
  }

  void warning(String pointer, String message) {
    found.add(LintFinding.warning(yaml.problemAt(pointer, message)));
  }

  void warningAtKey(String pointer, String message) {
    found.add(LintFinding.warning(yaml.problemAtKey(pointer, message)));
  }

  List<LintFinding> sorted() {
    List<LintFinding> out = new ArrayList<>(found);
    out.sort(Comparator.comparing(LintFinding::problem, SchemaProblems.BY_POSITION));
    return out.stream().distinct().toList();
  }
}
