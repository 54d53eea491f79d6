package dev.rebound.runbook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A command names an executable inside the scripts directory and nothing else. The check is
 * done on the normalised path and again on the real path, so neither {@code ../} nor a symlink
 * can point a runbook at an arbitrary binary.
 */
final class CommandRules implements LintRule {
  @Override
  public void check(Runbook runbook, LintContext context, Findings out) {
    if (context.scriptsDir() == null) {
      return;
    }
    Path scripts = context.scriptsDir().toAbsolutePath().normalize();
    String dir = context.scriptsDir().toString();
    RunbookParts.actions(runbook, (pointer, action, step, isRollback) -> {
      if (action instanceof Action.Command command && !Templates.hasTemplates(command.command())) {
        check(command.command(), pointer + "/command", scripts, dir, out);
      }
    });
  }

  private static void check(String command, String pointer, Path scripts, String dir, Findings out) {
    Path relative;
    try {
      relative = Path.of(command);
    } catch (InvalidPathException e) {
      out.error(pointer, "command '" + command + "' is not a valid path");
      return;
    }
    if (relative.isAbsolute()) {
      out.error(pointer, "command '" + command + "' must be a path relative to the scripts directory (" + dir + ")");
      return;
    }
    Path resolved = scripts.resolve(relative).normalize();
    if (!resolved.startsWith(scripts) || resolved.equals(scripts)) {
      out.error(pointer, "command '" + command + "' is outside the scripts directory (" + dir + ")");
      return;
    }
    if (!Files.exists(resolved)) {
      out.error(pointer, "command '" + command + "' not found in the scripts directory (" + dir + ")");
      return;
    }
    try {
      if (!resolved.toRealPath().startsWith(scripts.toRealPath())) {
        out.error(pointer, "command '" + command + "' links outside the scripts directory (" + dir + ")");
        return;
      }
    } catch (IOException e) {
      out.error(pointer, "command '" + command + "' cannot be resolved: " + e.getMessage());
      return;
    }
    if (!Files.isRegularFile(resolved)) {
      out.error(pointer, "command '" + command + "' is not a file");
    } else if (!Files.isExecutable(resolved)) {
      out.warning(pointer, "command '" + command + "' is not executable (chmod +x)");
    }
  }
}
