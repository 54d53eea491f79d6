package dev.rebound.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.runbook.Action;
import dev.rebound.runbook.Check;

/** Actions and checks for tests, written as JSON with single quotes for readability. */
public final class TestJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(JsonParser.Feature.ALLOW_SINGLE_QUOTES, true)
      .configure(JsonParser.Feature.ALLOW_UNQUOTED_FIELD_NAMES, true);

  private TestJson() {}

  public static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static Action action(String json) {
    return Action.of(tree(json));
  }

  public static Check check(String json) {
    return Check.of(tree(json));
  }
}
