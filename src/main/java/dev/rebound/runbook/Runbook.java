package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.yaml.PositionedYaml;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A loaded, schema-valid runbook. {@code contentHash} is the sha256 of its canonical form (what
 * an approval pins); {@code source} keeps the parsed tree with positions so lint, the CLI and
 * the console can point at a line. {@code path} is empty when parsed from a string.
 */
public record Runbook(
    String id,
    int version,
    String title,
    String summary,
    String author,
    List<String> symptoms,
    List<String> assets,
    List<String> relatedRunbooks,
    Activation activation,
    List<ParamSpec> params,
    List<Check> preconditions,
    List<Step> steps,
    List<Check> invariants,
    List<Check> validation,
    String contentHash,
    PositionedYaml source,
    Optional<Path> path) {

  public Runbook {
    symptoms = List.copyOf(symptoms);
    assets = List.copyOf(assets);
    relatedRunbooks = List.copyOf(relatedRunbooks);
    params = List.copyOf(params);
    preconditions = List.copyOf(preconditions);
    steps = List.copyOf(steps);
    invariants = List.copyOf(invariants);
    validation = List.copyOf(validation);
  }

  /** The file name used in messages. */
  public String file() {
    return source.file();
  }

  /** The parsed document (a copy), e.g. for the console's source view. */
  public JsonNode tree() {
    return source.root().deepCopy();
  }

  /** The template variables its text refers to anywhere ({@code {{env.NAME}}}), by name. */
  public Set<String> envNames() {
    Set<String> names = new TreeSet<>();
    JsonStrings.forEach(source.root(), "", (pointer, value) -> Templates.references(value).stream()
        .filter(ref -> ref.kind() == TemplateRef.Kind.ENV).forEach(ref -> names.add(ref.name())));
    return names;
  }

  public Optional<Step> step(String stepId) {
    return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
  }

  public Optional<ParamSpec> param(String name) {
    return params.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * Whether a run of this runbook may be started in {@code environment}. Configuration
   * overrides the file ({@code REBOUND_ACTIVE_RUNBOOKS} / {@code REBOUND_INACTIVE_RUNBOOKS});
   * an id in both lists is inactive, because refusing to start is the safe side of a conflict.
   */
  public boolean isActiveIn(String environment, Set<String> forcedActive, Set<String> forcedInactive) {
    if (forcedInactive.contains(id)) {
      return false;
    }
    if (forcedActive.contains(id)) {
      return true;
    }
    return activation.isActiveIn(environment);
  }
}
