package dev.rebound.demo;

import dev.rebound.testing.SourceImports;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The demo plays production: Rebound's core reaches it only over HTTP, SQL and files, never by
 * importing it; and it uses nothing of Rebound but its database location and the embedding model.
 */
class DemoPackageDependencyTest {
  private static final Path MAIN = DemoFixture.REPO.resolve("src/main/java/dev/rebound");
  private static final List<String> NEVER_IMPORT_DEMO = List.of("engine", "runbook", "inventory", "retrieval", "audit",
      "config", "db", "incident", "agent", "yaml", "error", "health", "drill");

  @Test
  void coreAndDomainPackagesNeverImportTheDemo() {
    List<String> offending = NEVER_IMPORT_DEMO.stream()
        .map(MAIN::resolve)
        .filter(Files::isDirectory)
        .flatMap(SourceImports::javaFilesUnder)
        .filter(f -> SourceImports.imports(f).anyMatch(i -> i.startsWith("dev.rebound.demo")))
        .map(Path::toString)
        .toList();
    assertThat(offending).isEmpty();
  }

  @Test
  void theDemoImportsOnlyVertxTheJdkAndItsDatabaseAndEmbedderSettings() {
    List<String> offending = SourceImports.javaFilesUnder(MAIN.resolve("demo"))
        .flatMap(SourceImports::imports)
        .filter(i -> i.startsWith("dev.rebound.") && !i.startsWith("dev.rebound.demo.")
            && !i.startsWith("dev.rebound.config.") && !i.startsWith("dev.rebound.retrieval."))
        .distinct()
        .toList();
    assertThat(offending).isEmpty();
  }


}
