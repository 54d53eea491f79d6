package dev.rebound.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Replaces every occurrence of a secret value with {@value #MASK}. Built once from the
 * configuration's secret values ({@code ReboundConfig.secretValues()}: tokens, keys, database
 * passwords, template variables marked secret); immutable and thread-safe.
 *
 * <p>Longer secrets are replaced first, so a secret that contains another is masked whole.
 * Empty values are ignored (masking "" would mangle everything). Masking is by value: a secret
 * that is also an ordinary word (a weak password like {@code rebound}) is masked wherever that
 * word appears, which is the price of never writing it; hence the default database password is
 * not a word.
 */
public final class Masker {
  public static final String MASK = "***";

  private static final Masker NONE = new Masker(List.of());

  private final List<String> secrets;

  private Masker(List<String> secrets) {
    this.secrets = secrets;
  }

  public static Masker of(Collection<String> secretValues) {
    List<String> sorted = secretValues.stream()
        .filter(Objects::nonNull)
        .filter(s -> !s.isEmpty())
        .distinct()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toList();
    return sorted.isEmpty() ? NONE : new Masker(sorted);
  }

  /** Masks nothing (tests, tools without configuration). */
  public static Masker none() {
    return NONE;
  }

  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      if (result.contains(secret)) {
        result = result.replace(secret, MASK);
      }
    }
    return result;
  }

  /** A copy of {@code node} with every string value and object key masked. */
  public JsonNode mask(JsonNode node) {
    return mapStrings(node, this::mask);
  }

  /** A copy of {@code node} with {@code fn} applied to every string value and object key. */
  static JsonNode mapStrings(JsonNode node, UnaryOperator<String> fn) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(fn.apply(node.textValue()));
    }
    if (node.isObject()) {
      ObjectNode copy = AuditJson.MAPPER.createObjectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        copy.set(fn.apply(field.getKey()), mapStrings(field.getValue(), fn));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = AuditJson.MAPPER.createArrayNode();
      node.forEach(element -> copy.add(mapStrings(element, fn)));
      return copy;
    }
    return node.deepCopy();
  }
}
