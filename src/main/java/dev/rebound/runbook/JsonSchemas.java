package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The only class that touches the networknt validator. networknt 3.x works on Jackson 3 trees
 * ({@code tools.jackson}) while the rest of the project uses Jackson 2, so trees cross the
 * boundary as JSON text; errors come back as {@link SchemaViolation}s.
 *
 * <p>The registry never fetches remote schemas: a parameter schema with a {@code $ref} to a URL
 * must not make lint or a run reach the network. Unknown keywords are plain annotations, so the
 * library does not log a warning for each one (lint reports them instead).
 */
final class JsonSchemas {
  static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          Dialect.builder(Dialects.getDraft202012())
              .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
              .build(),
          builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));

  private JsonSchemas() {}

  /**
   * Compiles a schema.
   *
   * @throws IllegalArgumentException with a one-line reason when the library rejects it
   */
  static Schema compile(JsonNode schema) {
    // The library logs an ERROR line for a bad regex before failing; check first, quietly.
    checkPatterns(schema);
    try {
      Schema compiled = REGISTRY.getSchema(Json.compact(schema), InputFormat.JSON);
      compiled.initializeValidators();
      return compiled;
    } catch (SchemaException e) {
      throw new IllegalArgumentException(oneLine(e.getMessage()));
    }
  }

  private static void checkPatterns(JsonNode node) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (e.getKey().equals("pattern") && e.getValue().isTextual()) {
          try {
            Pattern.compile(e.getValue().asText());
          } catch (PatternSyntaxException ex) {
            throw new IllegalArgumentException("invalid regular expression " + e.getValue() + ": " + ex.getDescription());
          }
        }
        checkPatterns(e.getValue());
      }
    } else if (node.isArray()) {
      node.forEach(JsonSchemas::checkPatterns);
    }
  }

  static Schema metaSchema() {
    return MetaHolder.META;
  }

  static List<SchemaViolation> validate(Schema schema, JsonNode instance) {
    List<SchemaViolation> out = new ArrayList<>();
    for (com.networknt.schema.Error error : schema.validate(Json.compact(instance), InputFormat.JSON)) {
      out.add(
          new SchemaViolation(
              pointer(error.getInstanceLocation()),
              error.getKeyword(),
              toJackson2(error.getSchemaNode()),
              error.getProperty(),
              error.getSchemaLocation() == null ? "" : pointer(error.getSchemaLocation().getFragment()),
              oneLine(error.getMessage())));
    }
    return out;
  }

  private static String pointer(NodePath path) {
    if (path == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      out.append('/').append(String.valueOf(path.getElement(i)).replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }

  private static JsonNode toJackson2(Object jackson3Node) {
    if (jackson3Node == null) {
      return Json.NODES.missingNode();
    }
    try {
      return Json.MAPPER.readTree(jackson3Node.toString());
    } catch (IOException e) {
      return Json.NODES.textNode(jackson3Node.toString());
    }
  }

  private static String oneLine(String s) {
    return s == null ? "invalid schema" : s.replaceAll("\\s+", " ").trim();
  }

  private static final class MetaHolder {
    static final Schema META = REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA));
  }
}
