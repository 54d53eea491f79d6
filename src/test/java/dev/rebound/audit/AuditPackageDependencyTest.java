package dev.rebound.audit;

import dev.rebound.testing.SourceImports;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The audit package stays below the edges (see package-info.java). */
class AuditPackageDependencyTest {
  private static final Path SOURCES =
      Path.of(System.getProperty("basedir", ".")).resolve("src/main/java/dev/rebound/audit");

  @Test
  void imports_no_edge_framework_and_no_edge_package() throws IOException {
    List<String> offending;
    try (Stream<Path> files = Files.list(SOURCES)) {
      offending = files
          .filter(f -> f.toString().endsWith(".java"))
          .flatMap(SourceImports::imports)
          .filter(i -> i.startsWith("io.vertx.ext.web") || i.startsWith("com.slack") || i.startsWith("dev.langchain4j")
              || (i.startsWith("dev.rebound.") && !i.startsWith("dev.rebound.audit.")
                  && !i.equals("dev.rebound.runbook.CanonicalJson") && !i.startsWith("dev.rebound.error.")
                  && !i.startsWith("dev.rebound.digest.")))
          .toList();
    }

    assertThat(offending).isEmpty();
  }

}
