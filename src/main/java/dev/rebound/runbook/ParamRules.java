package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import dev.rebound.yaml.PositionedYaml;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parameter schemas are valid JSON Schema (2020-12), self-contained, and their defaults pass
 * them. Checked here, before a run, because a broken parameter schema would otherwise surface
 * only when someone at 3 a.m. tries to start the runbook.
 */
final class ParamRules implements LintRule {
  private static final Set<String> KEYWORDS = Set.of(
      "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",
      "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items",
      "contains", "properties", "patternProperties", "additionalProperties", "propertyNames",
      "unevaluatedItems", "unevaluatedProperties", "type", "const", "enum", "multipleOf", "maximum",
      "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems",
      "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required",
      "dependentRequired", "title", "description", "default", "deprecated", "readOnly", "writeOnly",
      "examples", "format", "contentEncoding", "contentMediaType", "contentSchema",
      // Rebound's own: where the console and Slack find candidate values (the runbook schema checks its shape).
      "choices");

  @Override
  public void check(Runbook runbook, LintContext context, Findings out) {
    for (ParamSpec param : runbook.params()) {
      String base = "/params/" + PositionedYaml.escape(param.name());
      JsonNode schema = param.schema();
      Iterator<String> keys = schema.fieldNames();
      while (keys.hasNext()) {
        String key = keys.next();
        if (!KEYWORDS.contains(key)) {
          out.warningAtKey(base + "/" + key, "param " + param.name() + ": unknown JSON Schema keyword '" + key + "' (ignored when validating)");
        }
      }
      param.choices().filter(c -> Templates.hasTemplates(c.sql())).ifPresent(c -> out.error(base + "/choices/sql",
          "param " + param.name() + ": choices are read before any parameter is bound, so their sql cannot use templates"));
      param.choices().filter(c -> schema.has("enum") || param.type().equals("boolean")).ifPresent(c -> out.warningAtKey(
          base + "/choices", "param " + param.name() + ": choices are not offered for an enum or boolean parameter"
              + " (its form already lists the values)"));
      boolean broken = selfContainedAndRegexes(schema, base, out);
      broken |= metaSchema(runbook, schema, base, out);
      if (!broken && param.defaultValue().isPresent()) {
        defaultValue(runbook, param, base, out);
      }
    }
  }

  /** Walks the schema for references (which could reach the network) and regexes that do not compile. */
  private static boolean selfContainedAndRegexes(JsonNode node, String pointer, Findings out) {
    boolean broken = false;
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String child = Json.child(pointer, e.getKey());
        if (e.getKey().equals("$ref") || e.getKey().equals("$dynamicRef")) {
          out.errorAtKey(child, Json.displayPath(child) + ": parameter schemas must be self-contained (no " + e.getKey() + ")");
          broken = true;
        } else if (e.getKey().equals("pattern") && e.getValue().isTextual()) {
          try {
            Pattern.compile(e.getValue().asText());
          } catch (PatternSyntaxException ex) {
            out.error(child, Json.displayPath(child) + ": invalid regular expression: " + ex.getDescription() + " near index " + ex.getIndex());
            broken = true;
          }
        }
        broken |= selfContainedAndRegexes(e.getValue(), child, out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        broken |= selfContainedAndRegexes(node.get(i), Json.child(pointer, i), out);
      }
    }
    return broken;
  }

  private static boolean metaSchema(Runbook runbook, JsonNode schema, String base, Findings out) {
    List<SchemaViolation> violations = JsonSchemas.validate(JsonSchemas.metaSchema(), schema);
    // The meta-schema's anyOf branches report one node several times; the first reads best.
    Set<String> seen = new HashSet<>();
    List<SchemaViolation> firstPerNode = violations.stream().filter(v -> seen.add(v.pointer())).toList();
    SchemaProblems.place(firstPerNode, runbook.source(), base, schema, s -> List.of()).forEach(out::error);
    return !firstPerNode.isEmpty();
  }

  private static void defaultValue(Runbook runbook, ParamSpec param, String base, Findings out) {
    Schema compiled;
    try {
      compiled = JsonSchemas.compile(param.schema());
    } catch (IllegalArgumentException e) {
      out.error(base, "param " + param.name() + ": invalid schema: " + e.getMessage());
      return;
    }
    JsonNode value = param.defaultValue().orElseThrow();
    for (SchemaViolation v : JsonSchemas.validate(compiled, value)) {
      String at = base + "/default" + v.pointer();
      out.error(at, SchemaMessages.describe(v, Json.displayPath(at), value, s -> List.of()));
    }
  }
}
