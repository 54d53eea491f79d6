package dev.rebound.cli;

import dev.rebound.app.Workspace;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.ReboundException;
import dev.rebound.runbook.InvalidRunbookException;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import dev.rebound.runbook.RunbookLoader;
import dev.rebound.yaml.YamlProblem;
import java.io.File;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Finding runbooks the way commands name them: by id in the runbooks directory, or by file path. */
final class RunbookFiles {
  private RunbookFiles() {}

  static boolean looksLikePath(String ref) {
    return ref.contains("/") || ref.contains(File.separator) || ref.endsWith(".yaml") || ref.endsWith(".yml");
  }

  /**
   * The runbook {@code ref} names. A file that does not load fails with its problems
   * ({@link InvalidRunbookException}), not with "not found".
   */
  static Runbook find(CliContext context, RunbookCatalog catalog, String ref) {
    if (looksLikePath(ref)) {
      return new RunbookLoader().load(context.names().resolve(ref)).orElseThrow();
    }
    return byId(context, catalog, ref);
  }

  static Runbook byId(CliContext context, RunbookCatalog catalog, String id) {
    return catalog.get(id).orElseThrow(() -> notFound(context, catalog, id));
  }

  /** Ids of the runbooks plus the likely ids (file names) of files that did not load. */
  static Set<String> knownIds(RunbookCatalog catalog) {
    Set<String> ids = new HashSet<>(catalog.ids());
    for (YamlProblem p : catalog.problems()) {
      String name = Path.of(p.file()).getFileName().toString();
      if (name.endsWith(".yaml")) {
        ids.add(name.substring(0, name.length() - ".yaml".length()));
      }
    }
    return ids;
  }

  /** Where a runbook's {@code command} files must be: the runbooks directory's, or its own directory's. */
  static Path scriptsDirFor(Path runbookFile, Path runbooksDir) {
    Path dir = runbookFile.startsWith(runbooksDir) ? runbooksDir : runbookFile.getParent();
    return dir.resolve(Workspace.SCRIPTS_DIR);
  }

  private static ReboundException notFound(CliContext context, RunbookCatalog catalog, String id) {
    List<YamlProblem> problems = catalog.problems().stream()
        .filter(p -> Path.of(p.file()).getFileName().toString().equals(id + ".yaml")
            || p.message().startsWith("duplicate runbook id '" + id + "'"))
        .toList();
    if (!problems.isEmpty()) {
      return new InvalidRunbookException(problems);
    }
    return new NotFoundException(
        "runbook '" + id + "' not found in " + context.names().of(context.runbooksDir()) + " (" + known(catalog) + ")");
  }

  /** {@code known: a, b} or {@code it has no runbooks}, for messages about an id that names none. */
  static String known(RunbookCatalog catalog) {
    return catalog.ids().isEmpty() ? "it has no runbooks" : "known: " + String.join(", ", catalog.ids());
  }
}
