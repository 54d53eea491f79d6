package dev.rebound.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.yaml.PositionedYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one YAML mapping strictly, as a JSON Schema with {@code additionalProperties: false}
 * would: unknown keys, missing required fields and values of the wrong type become positioned
 * problems, never exceptions. Messages start with the label of what is being read ("asset
 * 'features.online'") and name fields by their dotted path inside it ("lineage.artifact.sha256").
 * A null value ({@code description:} with nothing after it) counts as absent.
 */
final class MappingReader {
  private final Problems problems;
  private final JsonNode node;
  private final String pointer;
  private final String label;
  private final String prefix;

  private MappingReader(Problems problems, JsonNode node, String pointer, String label, String prefix) {
    this.problems = problems;
    this.node = node;
    this.pointer = pointer;
    this.label = label;
    this.prefix = prefix;
  }

  static Optional<MappingReader> of(Problems problems, JsonNode node, String pointer, String label) {
    if (!node.isObject()) {
      problems.at(pointer, label + " must be a mapping");
      return Optional.empty();
    }
    return Optional.of(new MappingReader(problems, node, pointer, label, ""));
  }

  /** The same mapping under a better label, once its id is known. */
  MappingReader labelled(String newLabel) {
    return new MappingReader(problems, node, pointer, newLabel, prefix);
  }

  String label() {
    return label;
  }

  String pointer(String key) {
    return pointer + "/" + PositionedYaml.escape(key);
  }

  void allowOnly(List<String> keys) {
    node.fieldNames().forEachRemaining(k -> {
      if (!keys.contains(k)) {
        problems.atKey(pointer(k),
            label + ": unknown key '" + prefix + k + "' (allowed: " + String.join(", ", keys) + ")");
      }
    });
  }

  /** Reports a problem with the value of {@code key}. */
  void problem(String key, String message) {
    problemAt(pointer(key), message);
  }

  /** Reports a problem at any pointer inside this mapping (a list entry, say). */
  void problemAt(String at, String message) {
    problems.at(at, label + ": " + message);
  }

  String field(String key) {
    return prefix + key;
  }

  /** A non-empty string; numbers and booleans are refused. */
  Optional<Located> text(String key, boolean required) {
    return present(key, required).flatMap(v -> {
      if (!v.isTextual()) {
        problem(key, "'" + field(key) + "' must be a string");
        return Optional.empty();
      }
      return nonEmpty(key, v.asText());
    });
  }

  /** Any scalar as text, so {@code version: 12} and {@code version: "12"} mean the same. */
  Optional<Located> scalar(String key, boolean required) {
    return present(key, required).flatMap(v -> {
      if (!v.isValueNode()) {
        problem(key, "'" + field(key) + "' must be a single value");
        return Optional.empty();
      }
      return nonEmpty(key, v.asText());
    });
  }

  /** An optional list of non-empty strings; bad entries are reported and left out. */
  List<Located> textList(String key) {
    return textList(key, false);
  }

  /** A list of non-empty strings; when {@code required}, it must be present and not empty. */
  List<Located> textList(String key, boolean required) {
    List<Located> out = new ArrayList<>();
    present(key, required).ifPresent(v -> {
      if (!v.isArray()) {
        problem(key, "'" + field(key) + "' must be a list");
        return;
      }
      if (required && v.isEmpty()) {
        problem(key, "'" + field(key) + "' must not be empty");
      }
      for (int i = 0; i < v.size(); i++) {
        String at = pointer(key) + "/" + i;
        if (!v.get(i).isTextual() || v.get(i).asText().isBlank()) {
          problemAt(at, "entries of '" + field(key) + "' must be non-empty strings");
        } else {
          out.add(new Located(v.get(i).asText(), at));
        }
      }
    });
    return out;
  }

  /** An optional integer within {@code [min, max]}. */
  Optional<Integer> integer(String key, int min, int max) {
    return present(key, false).flatMap(v -> {
      if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
        problem(key, "'" + field(key) + "' must be an integer from " + min + " to " + max);
        return Optional.empty();
      }
      return Optional.of(v.asInt());
    });
  }

  /** A list node, for entries that are themselves mappings. */
  Optional<JsonNode> list(String key, boolean required) {
    return present(key, required).filter(v -> {
      if (!v.isArray()) {
        problem(key, "'" + field(key) + "' must be a list");
      }
      return v.isArray();
    });
  }

  /** An optional nested mapping, read with the same label and a longer field path. */
  Optional<MappingReader> mapping(String key) {
    return present(key, false).flatMap(v -> {
      if (!v.isObject()) {
        problem(key, "'" + field(key) + "' must be a mapping");
        return Optional.empty();
      }
      return Optional.of(new MappingReader(problems, v, pointer(key), label, field(key) + "."));
    });
  }

  private Optional<JsonNode> present(String key, boolean required) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        problems.at(v == null ? pointer : pointer(key), label + ": missing required field '" + field(key) + "'");
      }
      return Optional.empty();
    }
    return Optional.of(v);
  }

  private Optional<Located> nonEmpty(String key, String text) {
    if (text.isBlank()) {
      problem(key, "'" + field(key) + "' must not be empty");
      return Optional.empty();
    }
    return Optional.of(new Located(text, pointer(key)));
  }
}
