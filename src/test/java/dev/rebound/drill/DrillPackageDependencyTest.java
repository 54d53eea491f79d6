package dev.rebound.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.testing.SourceImports;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Drills reach the demo system like any target, over HTTP; they use the engine's public API and
 * no edge technology (web, Slack, the LLM client).
 */
class DrillPackageDependencyTest {
  private static final List<String> FORBIDDEN = List.of("dev.rebound.demo", "dev.rebound.http", "dev.rebound.app",
      "dev.rebound.cli", "dev.rebound.agent", "dev.rebound.slack", "io.vertx.ext.web", "com.slack", "dev.langchain4j");

  @Test
  void theDrillPackageImportsNoEdgeAndNotTheDemo() {
    List<String> offending = SourceImports.javaFilesUnder(SourceImports.MAIN.resolve("drill"))
        .flatMap(SourceImports::imports)
        .filter(i -> FORBIDDEN.stream().anyMatch(i::startsWith))
        .distinct()
        .toList();
    assertThat(offending).isEmpty();
  }
}
