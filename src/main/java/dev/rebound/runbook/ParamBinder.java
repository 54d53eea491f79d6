package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks the parameters of a run against the runbook's parameter schemas before any step runs.
 * Raw {@code k=v} strings (CLI, Slack) are coerced to the declared type; typed JSON (HTTP API,
 * agent tools) is taken as given. Defaults fill what is missing; unknown and missing
 * parameters are errors, as is any schema rule a value breaks. Every error is reported, not
 * just the first.
 */
public final class ParamBinder {
  private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

  private ParamBinder() {}

  /** Binds {@code k=v} strings from a command line or a form. */
  public static BoundParams bindStrings(List<ParamSpec> specs, Map<String, String> raw) {
    List<String> errors = new ArrayList<>();
    Map<String, JsonNode> given = new LinkedHashMap<>();
    Set<String> rejected = new HashSet<>();
    for (ParamSpec spec : specs) {
      String text = raw.get(spec.name());
      if (text != null) {
        JsonNode value = coerce(spec, text);
        if (value != null) {
          given.put(spec.name(), value);
        } else {
          errors.add(notA(spec, text));
          rejected.add(spec.name());
        }
      }
    }
    return finish(specs, given, rejected, new TreeSet<>(raw.keySet()), errors);
  }

  /** Binds a JSON object of typed values; a JSON {@code null} counts as not given. */
  public static BoundParams bindJson(List<ParamSpec> specs, JsonNode values) {
    List<String> errors = new ArrayList<>();
    Map<String, JsonNode> given = new LinkedHashMap<>();
    TreeSet<String> names = new TreeSet<>();
    if (values != null && !values.isNull() && !values.isMissingNode()) {
      if (!values.isObject()) {
        return new BoundParams(Map.of(), List.of("params must be a JSON object of name → value"));
      }
      values.properties().forEach(e -> {
        names.add(e.getKey());
        if (!e.getValue().isNull()) {
          given.put(e.getKey(), e.getValue());
        }
      });
    }
    return finish(specs, given, Set.of(), names, errors);
  }

  public static BoundParams bindStrings(Runbook runbook, Map<String, String> raw) {
    return bindStrings(runbook.params(), raw);
  }

  public static BoundParams bindJson(Runbook runbook, JsonNode values) {
    return bindJson(runbook.params(), values);
  }

  private static BoundParams finish(
      List<ParamSpec> specs,
      Map<String, JsonNode> given,
      Set<String> rejected,
      TreeSet<String> names,
      List<String> errors) {
    Map<String, JsonNode> bound = new LinkedHashMap<>();
    List<String> known = specs.stream().map(ParamSpec::name).toList();
    for (ParamSpec spec : specs) {
      names.remove(spec.name());
      if (rejected.contains(spec.name())) {
        continue; // given but not coercible: already reported, and the default must not stand in
      }
      JsonNode value = given.get(spec.name());
      if (value == null) {
        value = spec.defaultValue().orElse(null);
      }
      if (value == null) {
        errors.add(prefix(spec) + ": missing (it has no default)");
        continue;
      }
      List<String> broken = check(spec, value);
      errors.addAll(broken);
      if (broken.isEmpty()) {
        bound.put(spec.name(), value);
      }
    }
    for (String unknown : names) {
      errors.add(
          "unknown param '" + unknown + "' ("
              + (known.isEmpty() ? "this runbook takes no params" : "known: " + String.join(", ", known))
              + ")");
    }
    return errors.isEmpty() ? new BoundParams(bound, List.of()) : new BoundParams(Map.of(), errors);
  }

  private static List<String> check(ParamSpec spec, JsonNode value) {
    Schema schema;
    try {
      schema = JsonSchemas.compile(spec.schema());
    } catch (IllegalArgumentException e) {
      // Lint rejects such runbooks; a run must still not go ahead unchecked.
      return List.of(prefix(spec) + ": its schema is invalid (" + e.getMessage() + ")");
    }
    List<String> out = new ArrayList<>();
    for (SchemaViolation v : JsonSchemas.validate(schema, value)) {
      String subject = prefix(spec) + (v.pointer().isEmpty() ? "" : " " + Json.displayPath(v.pointer()));
      String line = SchemaMessages.describe(v, subject, value, p -> List.of());
      if (!out.contains(line)) {
        out.add(line);
      }
    }
    return out;
  }

  /** The typed value, or null when {@code text} is not of the declared type. */
  private static JsonNode coerce(ParamSpec spec, String text) {
    String t = text.trim();
    switch (spec.type()) {
      case "integer":
        if (INTEGER.matcher(t).matches()) {
          return integer(new BigInteger(t.startsWith("+") ? t.substring(1) : t));
        }
        break;
      case "number":
        if (NUMBER.matcher(t).matches() && Double.isFinite(Double.parseDouble(t))) {
          return Json.NODES.numberNode(Double.parseDouble(t));
        }
        break;
      case "boolean":
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
          return Json.NODES.booleanNode(t.equalsIgnoreCase("true"));
        }
        break;
      default:
        // Strings are taken exactly as given: leading spaces may be meaningful.
        return Json.NODES.textNode(text);
    }
    return null;
  }

  private static String notA(ParamSpec spec, String text) {
    String article = spec.type().equals("integer") ? "an " : "a ";
    return prefix(spec) + ": " + SchemaMessages.shown(Json.NODES.textNode(text)) + " is not " + article + spec.type();
  }

  private static JsonNode integer(BigInteger n) {
    if (n.bitLength() < 32) {
      return Json.NODES.numberNode(n.intValue());
    }
    return n.bitLength() < 64 ? Json.NODES.numberNode(n.longValue()) : Json.NODES.numberNode(n);
  }

  private static String prefix(ParamSpec spec) {
    return "param " + spec.name();
  }
}
