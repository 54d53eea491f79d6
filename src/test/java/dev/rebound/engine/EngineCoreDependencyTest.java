package dev.rebound.engine;

import dev.rebound.testing.SourceImports;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The engine core stays below the edges: no Vert.x Web, Slack, langchain4j, HTTP, app or CLI (package-info). */
class EngineCoreDependencyTest {
  private static final Path SOURCES =
      Path.of(System.getProperty("basedir", ".")).resolve("src/main/java/dev/rebound/engine");
  private static final List<String> FORBIDDEN = List.of("io.vertx.ext.web", "com.slack", "dev.langchain4j",
      "dev.rebound.http", "dev.rebound.app", "dev.rebound.cli", "dev.rebound.agent", "dev.rebound.slack");

  @Test
  void imports_no_edge_and_no_framework_beyond_vertx_core_and_sql() throws IOException {
    List<String> offending;
    try (Stream<Path> files = Files.list(SOURCES)) {
      offending = files.filter(f -> f.toString().endsWith(".java"))
          .flatMap(SourceImports::imports)
          .filter(i -> FORBIDDEN.stream().anyMatch(i::startsWith))
          .toList();
    }
    assertThat(offending).isEmpty();
  }

}
