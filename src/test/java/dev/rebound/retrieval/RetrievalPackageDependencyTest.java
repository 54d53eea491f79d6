package dev.rebound.retrieval;

import dev.rebound.testing.SourceImports;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** retrieval and incident stay domain packages (see their package-info.java). */
class RetrievalPackageDependencyTest {
  private static final Path MAIN = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java/dev/rebound");
  private static final Set<String> LANGCHAIN4J_ADAPTERS = Set.of("MiniLmEmbedder.java", "OpenAiCompatibleEmbedder.java");
  private static final Set<String> ONNX_RUNTIME = Set.of("MiniLmEmbedder.java", "MiniLmEncoder.java");

  @Test
  void no_web_slack_or_edge_imports_and_langchain4j_only_in_the_embedder_adapters_onnx_only_in_minilm() throws IOException {
    for (String pkg : List.of("retrieval", "incident")) {
      List<String> offending;
      try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
        offending = files.filter(f -> f.toString().endsWith(".java"))
            .flatMap(f -> SourceImports.imports(f).filter(i -> forbidden(f, i)).map(i -> f.getFileName() + ": " + i))
            .toList();
      }
      assertThat(offending).as(pkg).isEmpty();
    }
  }

  private static boolean forbidden(Path file, String imported) {
    return imported.startsWith("io.vertx.ext") || imported.startsWith("com.slack")
        || imported.startsWith("dev.rebound.http") || imported.startsWith("dev.rebound.cli")
        || imported.startsWith("dev.rebound.app")
        || (imported.startsWith("dev.langchain4j") && !LANGCHAIN4J_ADAPTERS.contains(file.getFileName().toString()))
        || ((imported.startsWith("ai.onnxruntime") || imported.startsWith("ai.djl"))
            && !ONNX_RUNTIME.contains(file.getFileName().toString()));
  }

}
