package dev.rebound.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML document as a Jackson tree that remembers where each node came from, so validation
 * errors (schema or semantic) can name {@code file:line:col}. Positions are keyed by JSON
 * Pointer ({@code /steps/2/action/url}); {@link #keyPosition} gives the position of a mapping
 * key, which is where "unknown key" and "missing value" messages belong.
 *
 * <p>Duplicate keys are reported as syntax errors: YAML allows the parser to keep either value,
 * and a runbook whose meaning depends on that is unsafe.
 */
public final class PositionedYaml {
  /** The largest text parsed, in characters (code points): far above any real runbook. */
  static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

  private final String file;
  private final JsonNode root;
  private final Map<String, SourcePosition> valuePositions;
  private final Map<String, SourcePosition> keyPositions;

  private PositionedYaml(
      String file, JsonNode root, Map<String, SourcePosition> values, Map<String, SourcePosition> keys) {
    this.file = file;
    this.root = root;
    this.valuePositions = values;
    this.keyPositions = keys;
  }

  /** Reads and parses a file; {@code displayName} is what messages call it. */
  public static PositionedYaml read(Path path, String displayName) throws YamlSyntaxException {
    return parse(SourceText.read(path, displayName), displayName);
  }

  public static PositionedYaml parse(String text, String displayName) throws YamlSyntaxException {
    // Checked before parsing: the parser's own limit read as a syntax error ("malformed YAML:
    // ... exceeds the limit"), at whatever position it had reached.
    int size = text.codePointCount(0, text.length());
    if (size > MAX_CODE_POINTS) {
      throw new YamlSyntaxException(new YamlProblem(displayName, SourcePosition.START,
          "file is too large: " + size + " characters, the limit is " + MAX_CODE_POINTS));
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setCodePointLimit(MAX_CODE_POINTS);
    Node node;
    try (Reader reader = new StringReader(text)) {
      node = new Yaml(options).compose(reader);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw new YamlSyntaxException(
          new YamlProblem(displayName, position(mark), "malformed YAML: " + oneLine(problem)));
    } catch (YAMLException | IOException e) {
      throw new YamlSyntaxException(
          new YamlProblem(displayName, SourcePosition.START, "malformed YAML: " + oneLine(e.getMessage())));
    }
    if (node == null) {
      throw new YamlSyntaxException(new YamlProblem(displayName, SourcePosition.START, "file is empty"));
    }
    Converter converter = new Converter(displayName);
    JsonNode root = converter.convert(node, "");
    return new PositionedYaml(displayName, root, converter.values, converter.keys);
  }

  public String file() {
    return file;
  }

  public JsonNode root() {
    return root;
  }

  /** Position of the value at a JSON Pointer, or of its nearest ancestor that has one. */
  public SourcePosition position(String pointer) {
    String p = pointer == null ? "" : pointer;
    while (true) {
      SourcePosition found = valuePositions.get(p);
      if (found != null) {
        return found;
      }
      if (p.isEmpty()) {
        return SourcePosition.START;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  /** Position of the key of a mapping entry, falling back to the value's position. */
  public SourcePosition keyPosition(String pointer) {
    SourcePosition key = keyPositions.get(pointer);
    return key != null ? key : position(pointer);
  }

  public YamlProblem problemAt(String pointer, String message) {
    return new YamlProblem(file, position(pointer), message);
  }

  public YamlProblem problemAtKey(String pointer, String message) {
    return new YamlProblem(file, keyPosition(pointer), message);
  }

  /** JSON Pointer escaping of one reference token. */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static SourcePosition position(Mark mark) {
    return mark == null ? SourcePosition.START : new SourcePosition(mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static String oneLine(String s) {
    return s == null ? "unknown error" : s.replaceAll("\\s+", " ").trim();
  }

  private static final class Converter {
    private final String file;
    private final Map<String, SourcePosition> values = new HashMap<>();
    private final Map<String, SourcePosition> keys = new HashMap<>();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    Converter(String file) {
      this.file = file;
    }

    JsonNode convert(Node node, String pointer) throws YamlSyntaxException {
      values.put(pointer, position(node.getStartMark()));
      if (node instanceof MappingNode mapping) {
        ObjectNode object = nodes.objectNode();
        for (NodeTuple tuple : mapping.getValue()) {
          if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
            throw new YamlSyntaxException(
                new YamlProblem(file, position(tuple.getKeyNode().getStartMark()), "mapping keys must be plain strings"));
          }
          String key = keyNode.getValue();
          if (object.has(key)) {
            throw new YamlSyntaxException(
                new YamlProblem(file, position(keyNode.getStartMark()), "duplicate key '" + key + "'"));
          }
          String child = pointer + "/" + escape(key);
          keys.put(child, position(keyNode.getStartMark()));
          object.set(key, convert(tuple.getValueNode(), child));
        }
        return object;
      }
      if (node instanceof SequenceNode sequence) {
        ArrayNode array = nodes.arrayNode();
        int i = 0;
        for (Node item : sequence.getValue()) {
          array.add(convert(item, pointer + "/" + i++));
        }
        return array;
      }
      return scalar((ScalarNode) node);
    }

    private JsonNode scalar(ScalarNode node) {
      String v = node.getValue();
      Tag tag = node.getTag();
      try {
        if (Tag.NULL.equals(tag)) {
          return nodes.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
          return nodes.booleanNode(v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on"));
        }
        if (Tag.INT.equals(tag)) {
          String digits = v.replace("_", "");
          BigInteger big = digits.startsWith("0x") ? new BigInteger(digits.substring(2), 16) : new BigInteger(digits);
          return big.bitLength() < 64 ? nodes.numberNode(big.longValue()) : nodes.numberNode(big);
        }
        if (Tag.FLOAT.equals(tag)) {
          return nodes.numberNode(Double.parseDouble(v.replace("_", "")));
        }
      } catch (NumberFormatException e) {
        return nodes.textNode(v);
      }
      return nodes.textNode(v);
    }
  }
}
