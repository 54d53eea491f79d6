package dev.rebound.agent;

import dev.rebound.testing.SourceImports;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The agent sits between the edges and the domain (see package-info.java), and langchain4j stays inside it. */
class AgentPackageDependencyTest {
  private static final Path MAIN = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java/dev/rebound");

  @Test
  void the_agent_imports_no_edge() {
    assertThat(imports("agent").filter(i -> i.startsWith("dev.rebound.http") || i.startsWith("dev.rebound.app")
        || i.startsWith("dev.rebound.cli") || i.startsWith("dev.rebound.slack") || i.startsWith("com.slack")
        || i.startsWith("io.vertx.ext.web")).toList()).isEmpty();
  }

  @Test
  void the_domain_never_imports_the_agent() {
    for (String pkg : List.of("engine", "incident", "retrieval", "inventory", "runbook", "audit")) {
      assertThat(imports(pkg).filter(i -> i.startsWith("dev.rebound.agent")).toList()).as(pkg).isEmpty();
    }
  }

  @Test
  void langchain4j_chat_types_stay_in_the_agent() {
    for (String pkg : List.of("http", "app", "cli", "engine", "incident")) {
      assertThat(imports(pkg).filter(i -> i.startsWith("dev.langchain4j")).toList()).as(pkg).isEmpty();
    }
  }

  /** Imports of every source file under the package (and its sub-packages). */
  private static Stream<String> imports(String pkg) {
    return SourceImports.javaFilesUnder(MAIN.resolve(pkg)).flatMap(SourceImports::imports);
  }
}
