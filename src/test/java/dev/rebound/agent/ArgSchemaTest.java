package dev.rebound.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgSchemaTest {
  private final ArgSchema schema = ArgSchema.builder()
      .string("query", "what", 10, true)
      .integer("k", "how many", 1, 8, false)
      .enumeration("kind", "which", List.of("a", "b"), false)
      .build();

  @Test
  void accepts_valid_arguments_and_null_for_optional_ones() {
    assertThat(schema.validate(json("{\"query\": \"stale\", \"k\": 3, \"kind\": \"a\"}"))).isEmpty();
    assertThat(schema.validate(json("{\"query\": \"stale\", \"k\": null, \"kind\": null}"))).isEmpty();
  }

  @Test
  void reports_every_problem() {
    assertThat(schema.validate(json("{\"k\": 80, \"kind\": \"c\", \"extra\": 1}"))).containsExactlyInAnyOrder(
        "unknown argument 'extra' (known: query, k, kind)",
        "argument 'query' is required",
        "argument 'k' must be between 1 and 8, got 80",
        "argument 'kind' must be one of a, b, got \"c\"");
    assertThat(schema.validate(json("{\"query\": \"much too long\"}")))
        .containsExactly("argument 'query' is longer than 10 characters");
    assertThat(schema.validate(json("[1]"))).containsExactly("arguments must be a JSON object");
  }

  @Test
  void offers_raw_schemas_with_nullable_optionals() {
    ToolSpecification spec = ToolSpecification.builder().name("t").description("d").parameters(schema.toOffered())
        .build();
    JsonNode offered = AgentJson.parse(spec.toJson()).orElseThrow();
    assertThat(offered.toString()).contains("\"type\":[\"integer\",\"null\"]").contains("\"maximum\":8")
        .contains("\"enum\":[\"a\",\"b\",null]");
    assertThat(spec.parameters().required()).containsExactly("query");
    assertThat(spec.parameters().additionalProperties()).isFalse();
  }

  private static JsonNode json(String text) {
    return AgentJson.parse(text).orElseThrow();
  }
}
