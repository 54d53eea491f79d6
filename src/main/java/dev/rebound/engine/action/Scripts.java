package dev.rebound.engine.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Resolves a command path against the scripts directory. The check runs on the real path (every
 * symlink followed), so neither {@code ../x}, an absolute path nor a symlink pointing out of the
 * directory can name an executable elsewhere. What runs is the resolved real path, not the name.
 */
final class Scripts {
  private Scripts() {}

  /**
   * @return the real path of an executable regular file inside {@code scriptsDir}
   * @throws IllegalArgumentException with a message naming the problem, if there is none
   */
  static Path resolve(Path scriptsDir, String command) {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("command is empty");
    }
    Path relative;
    try {
      relative = Path.of(command);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("command '" + command + "' is not a valid path");
    }
    if (relative.isAbsolute()) {
      throw new IllegalArgumentException("command '" + command + "' must be relative to the scripts directory");
    }
    Path root;
    try {
      root = scriptsDir.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("scripts directory " + scriptsDir + " does not exist");
    }
    Path real;
    try {
      real = root.resolve(relative).toRealPath();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("script '" + command + "' not found in " + scriptsDir);
    } catch (IOException e) {
      throw new IllegalArgumentException("script '" + command + "' cannot be resolved: " + e.getMessage());
    }
    if (!real.startsWith(root) || real.equals(root)) {
      throw new IllegalArgumentException(
          "command '" + command + "' resolves outside the scripts directory " + scriptsDir);
    }
    if (!Files.isRegularFile(real)) {
      throw new IllegalArgumentException("command '" + command + "' is not a regular file");
    }
    if (!Files.isExecutable(real)) {
      throw new IllegalArgumentException("script '" + command + "' is not executable");
    }
    return real;
  }
}
