package dev.rebound.runbook;

import dev.rebound.yaml.SourcePosition;
import dev.rebound.yaml.YamlProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every runbook in a directory ({@code *.yaml}, recursively, skipping {@code scripts/} and
 * hidden directories). A broken file does not hide the good ones: it only adds problems. A
 * runbook id used by two files is excluded in both, since starting "the" runbook would then
 * depend on which file happened to load.
 *
 * <p>Blocking (reads the directory); the result is immutable and thread-safe.
 */
public final class RunbookCatalog {
  private final Map<String, Runbook> byId;
  private final List<YamlProblem> problems;

  private RunbookCatalog(Map<String, Runbook> byId, List<YamlProblem> problems) {
    this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
    this.problems = List.copyOf(problems);
  }

  public static RunbookCatalog load(Path dir) {
    return load(dir, new RunbookLoader());
  }

  public static RunbookCatalog load(Path dir, RunbookLoader loader) {
    List<YamlProblem> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      problems.add(new YamlProblem(dir.toString(), SourcePosition.START, "runbooks directory not found"));
      return new RunbookCatalog(Map.of(), problems);
    }
    Map<String, List<Runbook>> loaded = new LinkedHashMap<>();
    for (Path file : files(dir)) {
      String name = file.getFileName().toString();
      if (name.endsWith(".yml")) {
        problems.add(new YamlProblem(file.toString(), SourcePosition.START, "runbook files end in .yaml (rename to " + name.replaceAll("\\.yml$", ".yaml") + ")"));
        continue;
      }
      LoadResult result = loader.load(file);
      problems.addAll(result.problems());
      result.runbook().ifPresent(r -> loaded.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r));
    }
    Map<String, Runbook> byId = new LinkedHashMap<>();
    loaded.forEach((id, runbooks) -> {
      if (runbooks.size() == 1) {
        byId.put(id, runbooks.get(0));
        return;
      }
      for (Runbook r : runbooks) {
        List<String> others = runbooks.stream().filter(o -> o != r).map(Runbook::file).toList();
        problems.add(r.source().problemAt("/id", "duplicate runbook id '" + id + "' (also in " + String.join(", ", others) + ")"));
      }
    });
    problems.sort(SchemaProblems.BY_POSITION);
    return new RunbookCatalog(byId, problems);
  }

  private static List<Path> files(Path dir) {
    Path scripts = dir.resolve("scripts");
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk
          .filter(p -> !p.startsWith(scripts))
          .filter(p -> !hidden(dir.relativize(p)))
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  public Optional<Runbook> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Loaded runbooks by id, sorted by id. */
  public Map<String, Runbook> byId() {
    return byId;
  }

  public List<Runbook> runbooks() {
    return List.copyOf(byId.values());
  }

  public Set<String> ids() {
    return byId.keySet();
  }

  /** Files that did not load (syntax, schema) and duplicate ids, sorted by file and position. */
  public List<YamlProblem> problems() {
    return problems;
  }

  /** Load problems as errors, then the lint findings of every loaded runbook. */
  public List<LintFinding> lint(LintContext context, RunbookLinter linter) {
    List<LintFinding> out = new ArrayList<>();
    problems.forEach(p -> out.add(LintFinding.error(p)));
    byId.values().forEach(r -> out.addAll(linter.lint(r, context)));
    return out;
  }
}
