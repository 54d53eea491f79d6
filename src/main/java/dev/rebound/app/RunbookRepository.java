package dev.rebound.app;

import dev.rebound.runbook.RunbookCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The runbook catalog as it is on disk now. Reloads when any runbook file was added, removed or
 * modified since the last load, so a changed file is never served (or approved, or started) under
 * the hash of its old content. Blocking (reads the directory): call from a worker thread.
 */
public final class RunbookRepository {
  private final Workspace workspace;
  private String fingerprint;
  private RunbookCatalog catalog;

  public RunbookRepository(Workspace workspace) {
    this.workspace = workspace;
  }

  public synchronized RunbookCatalog current() {
    String now = fingerprint(workspace.runbooksDir());
    if (catalog == null || !now.equals(fingerprint)) {
      catalog = workspace.loadRunbooks();
      fingerprint = now;
    }
    return catalog;
  }

  /** Names, sizes and modification times of the YAML files: cheap, and changes with any edit. */
  static String fingerprint(Path dir) {
    if (!Files.isDirectory(dir)) {
      return "missing";
    }
    try (Stream<Path> files = Files.list(dir)) {
      StringBuilder sb = new StringBuilder();
      files.filter(p -> p.getFileName().toString().endsWith(".yaml"))
          .sorted()
          .forEach(p -> {
            try {
              sb.append(p.getFileName()).append(':').append(Files.size(p)).append(':')
                  .append(Files.getLastModifiedTime(p).toMillis()).append(';');
            } catch (IOException e) {
              sb.append(p.getFileName()).append(":unreadable;");
            }
          });
      return sb.toString();
    } catch (IOException e) {
      return "unreadable:" + e.getMessage();
    }
  }
}
