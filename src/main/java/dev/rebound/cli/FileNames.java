package dev.rebound.cli;

import java.io.File;
import java.nio.file.Path;

/**
 * Resolves the paths users give against the working directory, and names files in output
 * relative to it. Loaders are handed absolute paths (so they work whatever the JVM's own
 * directory is); what they print is shortened back here, including paths inside messages.
 */
final class FileNames {
  private final Path base;
  private final String prefix;

  FileNames(Path workingDir) {
    this.base = workingDir.toAbsolutePath().normalize();
    // Never strip a bare "/": it would mangle every absolute path.
    this.prefix = base.getNameCount() == 0 ? null : base + File.separator;
  }

  Path resolve(String given) {
    return base.resolve(given).normalize();
  }

  /** {@code runbooks/x.yaml} for a file under the working directory, else the absolute path. */
  String of(Path path) {
    Path abs = base.resolve(path).normalize();
    if (abs.equals(base)) {
      return ".";
    }
    return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
  }

  /** {@code text} with every absolute path under the working directory made relative. */
  String inText(String text) {
    return prefix == null ? text : text.replace(prefix, "");
  }
}
