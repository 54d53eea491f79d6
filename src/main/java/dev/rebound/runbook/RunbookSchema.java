package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON Schema of the runbook format, read once from the classpath resource
 * {@value #RESOURCE}. The same file ships at {@code schema/runbook.schema.json} for editors
 * (a test keeps the two copies identical).
 */
public final class RunbookSchema {
  public static final String RESOURCE = "/schema/runbook.schema.json";

  private final String text;
  private final JsonNode tree;
  private final Schema compiled;

  private RunbookSchema(String text) {
    this.text = text;
    try {
      this.tree = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("runbook schema resource is not JSON", e);
    }
    this.compiled = JsonSchemas.compile(tree);
  }

  /** The shared instance; loading and compiling happen on first use. */
  public static RunbookSchema get() {
    return Holder.INSTANCE;
  }

  /** The schema file's text, e.g. for an HTTP route that serves it to editors. */
  public String json() {
    return text;
  }

  List<SchemaViolation> validate(JsonNode document) {
    return JsonSchemas.validate(compiled, document);
  }

  /**
   * The keys a mapping may have, given the schema pointer of its {@code additionalProperties}
   * (e.g. {@code /$defs/step/additionalProperties}), in the order the schema lists them.
   */
  List<String> allowedKeys(String additionalPropertiesPointer) {
    int cut = additionalPropertiesPointer.lastIndexOf('/');
    if (cut < 0) {
      return List.of();
    }
    JsonNode owner = tree.at(additionalPropertiesPointer.substring(0, cut));
    List<String> keys = new ArrayList<>();
    owner.path("properties").fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static final class Holder {
    static final RunbookSchema INSTANCE = new RunbookSchema(readResource());

    private static String readResource() {
      try (InputStream in = RunbookSchema.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("classpath resource " + RESOURCE + " is missing");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
