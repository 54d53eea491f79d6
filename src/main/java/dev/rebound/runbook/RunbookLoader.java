package dev.rebound.runbook;

import dev.rebound.yaml.PositionedYaml;
import dev.rebound.yaml.YamlProblem;
import dev.rebound.yaml.YamlSyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads one runbook file: YAML with positions, then the JSON Schema, then the model. Each
 * problem is one positioned line ({@code file:line:col: message}); nothing here throws for a
 * bad file. Semantic checks that need the inventory, team or config are {@link RunbookLinter}'s.
 *
 * <p>Blocking (file I/O); thread-safe and cheap to share.
 */
public final class RunbookLoader {
  private final RunbookSchema schema;

  public RunbookLoader() {
    this(RunbookSchema.get());
  }

  RunbookLoader(RunbookSchema schema) {
    this.schema = schema;
  }

  /** Loads a file, naming it in messages as the path was given. */
  public LoadResult load(Path file) {
    return load(file, file.toString());
  }

  public LoadResult load(Path file, String displayName) {
    try {
      return validateAndMap(PositionedYaml.read(file, displayName), Optional.of(file));
    } catch (YamlSyntaxException e) {
      return LoadResult.failed(List.of(e.problem()));
    }
  }

  /** Loads YAML text, e.g. a runbook posted to the API; there is no file name to check. */
  public LoadResult parse(String yamlText, String displayName) {
    try {
      return validateAndMap(PositionedYaml.parse(yamlText, displayName), Optional.empty());
    } catch (YamlSyntaxException e) {
      return LoadResult.failed(List.of(e.problem()));
    }
  }

  private LoadResult validateAndMap(PositionedYaml yaml, Optional<Path> path) {
    List<YamlProblem> problems =
        SchemaProblems.place(schema.validate(yaml.root()), yaml, "", yaml.root(), schema::allowedKeys);
    if (!problems.isEmpty()) {
      return LoadResult.failed(problems);
    }
    return RunbookMapper.map(yaml, CanonicalJson.sha256(yaml.root()), path);
  }
}
