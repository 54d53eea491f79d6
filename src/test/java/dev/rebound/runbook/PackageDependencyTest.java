package dev.rebound.runbook;

import dev.rebound.testing.SourceImports;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The package stays a pure domain package (see package-info.java). */
class PackageDependencyTest {
  private static final Path SOURCES =
      Path.of(System.getProperty("basedir", ".")).resolve("src/main/java/dev/rebound/runbook");

  @Test
  void importsNoFrameworkAndNoOtherReboundPackage() throws IOException {
    List<String> offending;
    try (Stream<Path> files = Files.list(SOURCES)) {
      offending = files
          .filter(f -> f.toString().endsWith(".java"))
          .flatMap(SourceImports::imports)
          .filter(i -> i.startsWith("io.vertx") || i.startsWith("com.slack") || i.startsWith("dev.langchain4j")
              || (i.startsWith("dev.rebound.") && !i.startsWith("dev.rebound.runbook.")
                  && !i.startsWith("dev.rebound.yaml.") && !i.startsWith("dev.rebound.error.")
                  && !i.startsWith("dev.rebound.digest.")))
          .toList();
    }

    assertThat(offending).isEmpty();
  }

}
