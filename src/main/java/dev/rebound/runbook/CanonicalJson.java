package dev.rebound.runbook;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.digest.Sha256;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical JSON of a tree: object keys sorted (by UTF-16 code units, recursively), no
 * whitespace, numbers normalised so that {@code 1}, {@code 1.0} and {@code 1e0} are the same
 * text. Approvals pin the sha256 of this form, so comments, key order, quoting style and
 * indentation of a runbook do not matter, and every value does.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder();
    append(node, out);
    return out.toString();
  }

  /** Lower-case hex sha256 of {@link #write(JsonNode)} as UTF-8. */
  public static String sha256(JsonNode node) {
    return Sha256.hex(write(node));
  }

  private static void append(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      Iterator<String> names = node.fieldNames();
      names.forEachRemaining(keys::add);
      keys.sort(null);
      out.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        string(keys.get(i), out);
        out.append(':');
        append(node.get(keys.get(i)), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        append(node.get(i), out);
      }
      out.append(']');
    } else if (node.isNumber()) {
      out.append(number(node));
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else {
      string(node.asText(), out);
    }
  }

  private static String number(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().toString();
    }
    if (node.isDouble() || node.isFloat()) {
      double d = node.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        // Not JSON; PositionedYaml keeps such scalars as strings, so this is defensive only.
        return "\"" + d + "\"";
      }
    }
    BigDecimal value = node.decimalValue().stripTrailingZeros();
    return value.scale() <= 0 ? value.toBigIntegerExact().toString() : value.toPlainString();
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    out.append(JsonStringEncoder.getInstance().quoteAsString(s));
    out.append('"');
  }
}
