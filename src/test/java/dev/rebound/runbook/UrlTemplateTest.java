package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A parameter (or a step output) in an action's or check's URL fills one path segment or query
 * value after the host, and nothing more: a value with {@code ../}, {@code ?}, {@code #},
 * {@code @} or {@code /}, or one placed where it would choose the host, is refused with the
 * template and the place named, before any request could be sent.
 */
class UrlTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> ENV = Map.of("REGISTRY_URL", "http://registry.internal:8090");

  @Test
  void a_plain_value_fills_its_segment_and_its_query_value() {
    JsonNode rendered = render(Map.of("model", "ranker", "version", "12"),
        "{\"type\": \"http\", \"url\": \"{{env.REGISTRY_URL}}/models/{{params.model}}/versions/{{params.version}}"
            + "?check={{params.model}}\"}");

    assertThat(rendered.get("url").asText())
        .isEqualTo("http://registry.internal:8090/models/ranker/versions/12?check=ranker");
  }

  @Test
  void a_value_that_would_reach_another_path_or_query_is_refused() {
    for (String value : new String[] {"../../admin/reset", "ranker/../../admin", "ranker?force=true", "ranker#x",
        "ranker&delete=1", "..", ".", "a b", "ranker%2F..%2Fadmin", "@evil.example"}) {
      assertThatThrownBy(() -> render(Map.of("model", value),
          "{\"type\": \"http\", \"url\": \"{{env.REGISTRY_URL}}/models/{{params.model}}/deployment\"}"))
          .as(value)
          .isInstanceOf(UnresolvedTemplateException.class)
          .hasMessageContaining("cannot render {{params.model}} at url")
          .hasMessageContaining("is not one URL path segment or query value");
    }
  }

  @Test
  void a_value_cannot_choose_the_host_or_be_the_whole_url() {
    assertThatThrownBy(() -> render(Map.of("suffix", ".evil.example"),
        "{\"type\": \"http\", \"url\": \"{{env.REGISTRY_URL}}{{params.suffix}}/models\"}"))
        .isInstanceOf(UnresolvedTemplateException.class)
        .hasMessageContaining("cannot choose the URL's scheme, host or port");
    assertThatThrownBy(() -> render(Map.of("target", "http://evil.example/x"),
        "{\"type\": \"http\", \"url\": \"{{params.target}}\"}"))
        .isInstanceOf(UnresolvedTemplateException.class)
        .hasMessageContaining("cannot choose the URL's scheme, host or port");
  }

  @Test
  void a_step_output_in_a_url_is_held_to_the_same_rule_but_a_plan_shows_its_placeholder() {
    TemplateContext context = TemplateContext.of(Map.of(), ENV, Set.of())
        .withStepOutput("record-current", json("{\"version\": \"3/../../admin\"}"));
    JsonNode action = json("{\"type\": \"http\", \"url\": "
        + "\"{{env.REGISTRY_URL}}/versions/{{steps.record-current.output.version}}/status\"}");

    assertThatThrownBy(() -> new TemplateRenderer(context).render(action))
        .isInstanceOf(UnresolvedTemplateException.class)
        .hasMessageContaining("{{steps.record-current.output.version}}");
    assertThat(new TemplateRenderer(context).renderForPlan(action).get("url").asText())
        .isEqualTo("http://registry.internal:8090/versions/<output of step record-current: version>/status");
  }

  @Test
  void any_value_may_go_elsewhere_than_the_url() {
    JsonNode rendered = render(Map.of("reason", "INC-7: bad input / rerun?"),
        "{\"type\": \"http\", \"url\": \"{{env.REGISTRY_URL}}/deployments\","
            + " \"body\": {\"reason\": \"{{params.reason}}\", \"url\": \"see {{params.reason}}\"}}");

    assertThat(rendered.get("body").get("url").asText()).isEqualTo("see INC-7: bad input / rerun?");
  }

  private static JsonNode render(Map<String, String> params, String action) {
    Map<String, JsonNode> values = new java.util.HashMap<>();
    params.forEach((k, v) -> values.put(k, JSON.getNodeFactory().textNode(v)));
    return new TemplateRenderer(TemplateContext.of(values, ENV, Set.of())).render(json(action));
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
