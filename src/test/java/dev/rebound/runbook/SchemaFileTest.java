package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SchemaFileTest {
  private static final Path BASE = Path.of(System.getProperty("basedir", "."));

  @Test
  void editorCopyIsByteIdenticalToTheClasspathCopy() throws IOException {
    Path canonical = BASE.resolve("src/main/resources/schema/runbook.schema.json");
    Path forEditors = BASE.resolve("schema/runbook.schema.json");

    assertThat(Files.mismatch(canonical, forEditors))
        .as("schema/runbook.schema.json must be a copy of %s (cp it over)", canonical)
        .isEqualTo(-1L);
  }

  @Test
  void schemaIsValidJsonSchema202012() throws IOException {
    JsonNode schema = Json.MAPPER.readTree(RunbookSchema.get().json());

    assertThat(JsonSchemas.validate(JsonSchemas.metaSchema(), schema)).isEmpty();
    assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }
}
