package dev.rebound.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads the import lines of Rebound's main sources, for the tests that keep each package's
 * dependencies to what its package-info.java allows.
 */
public final class SourceImports {
  /** {@code src/main/java/dev/rebound} of the module under test. */
  public static final Path MAIN =
      Path.of(System.getProperty("basedir", ".")).resolve("src/main/java/dev/rebound");

  private SourceImports() {}

  /** The Java files of a directory and everything below it; none when it does not exist. */
  public static Stream<Path> javaFilesUnder(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(f -> f.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Java files directly in a directory (not its sub-packages). */
  public static Stream<Path> javaFilesIn(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(f -> f.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What one file imports, {@code static} imports included, as fully qualified names. */
  public static Stream<String> imports(Path file) {
    try {
      return Files.readAllLines(file).stream()
          .filter(l -> l.startsWith("import "))
          .map(l -> l.substring("import ".length()).replace("static ", "").replace(";", "").trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
