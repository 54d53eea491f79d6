package dev.rebound.engine;

import dev.rebound.testing.SourceImports;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Executors, checks and targets stay below the edges and beside each other (see each package-info.java). */
class EnginePackagesDependencyTest {
  private static final Path SOURCES =
      Path.of(System.getProperty("basedir", ".")).resolve("src/main/java/dev/rebound/engine");
  private static final Map<String, List<String>> ALLOWED = Map.of(
      "action", List.of("dev.rebound.engine.action.", "dev.rebound.engine.target.", "dev.rebound.runbook.",
          "dev.rebound.config.", "dev.rebound.error.", "dev.rebound.audit.Masker"),
      "check", List.of("dev.rebound.engine.check.", "dev.rebound.engine.target.", "dev.rebound.runbook.",
          "dev.rebound.config.", "dev.rebound.error.", "dev.rebound.audit.Masker", "dev.rebound.inventory.",
          "dev.rebound.digest."),
      "target", List.of("dev.rebound.engine.target.", "dev.rebound.config.", "dev.rebound.error.", "dev.rebound.digest."));

  @ParameterizedTest
  @ValueSource(strings = {"action", "check", "target"})
  void imports_no_framework_and_only_the_allowed_rebound_packages(String pkg) throws IOException {
    List<String> offending;
    try (Stream<Path> files = Files.list(SOURCES.resolve(pkg))) {
      offending = files
          .filter(f -> f.toString().endsWith(".java"))
          .flatMap(SourceImports::imports)
          .filter(i -> i.startsWith("io.vertx") || i.startsWith("com.slack") || i.startsWith("dev.langchain4j")
              || (i.startsWith("dev.rebound.") && ALLOWED.get(pkg).stream().noneMatch(i::startsWith)))
          .toList();
    }
    assertThat(offending).isEmpty();
  }

}
