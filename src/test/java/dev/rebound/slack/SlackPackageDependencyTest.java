package dev.rebound.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.testing.SourceImports;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Slack is an edge (see package-info.java): it uses the services, nothing uses it but the wiring. */
class SlackPackageDependencyTest {
  private static final Path MAIN = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java/dev/rebound");

  @Test
  void slack_imports_no_wiring_cli_or_model_types() {
    assertThat(imports("slack").filter(i -> i.startsWith("dev.rebound.app") || i.startsWith("dev.rebound.cli")
        || i.startsWith("dev.langchain4j")).toList()).isEmpty();
  }

  @Test
  void only_the_wiring_imports_slack() {
    for (String pkg : List.of("engine", "runbook", "audit", "agent", "retrieval", "incident", "inventory", "http",
        "config", "db", "cli")) {
      assertThat(imports(pkg).filter(i -> i.startsWith("dev.rebound.slack") || i.startsWith("com.slack")).toList())
          .as(pkg).isEmpty();
    }
  }

  private static Stream<String> imports(String pkg) {
    return SourceImports.javaFilesUnder(MAIN.resolve(pkg)).flatMap(SourceImports::imports);
  }
}
