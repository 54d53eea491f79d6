package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplatesTest {
  private static final TemplateContext CONTEXT =
      TemplateContext.of(
              Map.of(
                  "limit", IntNode.valueOf(100),
                  "dry", Json.NODES.booleanNode(true),
                  "ratio", Json.NODES.numberNode(0.25),
                  "snapshot_id", Json.NODES.textNode("snap-0a1b2c3d")),
              Map.of("FEATURES_URL", "http://features", "TOKEN", "s3cr3t"),
              Set.of("TOKEN"))
          .withStepOutput("snapshot", json("{\"snapshot_id\": \"snap-99\", \"rows\": 12}"));

  private final TemplateRenderer renderer = new TemplateRenderer(CONTEXT);

  @Test
  void findsEveryReferenceWithOptionalWhitespace() {
    assertThat(Templates.references("{{params.a}}/{{ env.B }}/{{  steps.s-1.output.f_2  }}"))
        .containsExactly(
            new TemplateRef(TemplateRef.Kind.PARAM, "a", null, "{{params.a}}"),
            new TemplateRef(TemplateRef.Kind.ENV, "B", null, "{{ env.B }}"),
            new TemplateRef(TemplateRef.Kind.STEP_OUTPUT, "s-1", "f_2", "{{  steps.s-1.output.f_2  }}"));
    assertThat(Templates.references("no templates here")).isEmpty();
  }

  @Test
  void reportsExpressionsAndUnclosedTemplatesAsInvalid() {
    assertThat(Templates.invalid("{{params.a + 1}} {{ upper(env.B) }} {{params.ok}} {{params.x"))
        .containsExactly("{{params.a + 1}}", "{{ upper(env.B) }}", "{{params.x");
    assertThat(Templates.invalid("{{steps.s.f}}")).containsExactly("{{steps.s.f}}");
  }

  @Test
  void keepsTheValueTypeWhenTheWholeStringIsOneTemplate() {
    JsonNode rendered = renderer.render(json("{\"args\": [\"{{params.limit}}\", \"{{ params.dry }}\", \"{{params.ratio}}\"]}"));

    assertThat(rendered.get("args").get(0).isInt()).isTrue();
    assertThat(rendered.get("args").get(0).intValue()).isEqualTo(100);
    assertThat(rendered.get("args").get(1).isBoolean()).isTrue();
    assertThat(rendered.get("args").get(2).doubleValue()).isEqualTo(0.25);
  }

  @Test
  void rendersTextWhenATemplateIsPartOfAString() {
    JsonNode rendered = renderer.render(json("{\"url\": \"{{env.FEATURES_URL}}/items?limit={{params.limit}}&dry={{params.dry}}\"}"));

    assertThat(rendered.get("url").asText()).isEqualTo("http://features/items?limit=100&dry=true");
  }

  @Test
  void leavesKeysAndNonStringValuesAlone() {
    JsonNode rendered = renderer.render(json("{\"{{params.limit}}\": 5, \"n\": null, \"b\": false}"));

    assertThat(rendered).isEqualTo(json("{\"{{params.limit}}\": 5, \"n\": null, \"b\": false}"));
  }

  @Test
  void masksSecretEnvValuesForDisplayOnly() {
    JsonNode action = json("{\"headers\": {\"Authorization\": \"Bearer {{env.TOKEN}}\", \"X-Token\": \"{{env.TOKEN}}\"}}");

    assertThat(renderer.renderMasked(action).get("headers"))
        .isEqualTo(json("{\"Authorization\": \"Bearer ***\", \"X-Token\": \"***\"}"));
    assertThat(renderer.render(action).get("headers").get("X-Token").asText()).isEqualTo("s3cr3t");
  }

  @Test
  void resolvesStepOutputsOnceTheStepHasRun() {
    JsonNode rendered = renderer.render(json("[\"{{steps.snapshot.output.snapshot_id}}\", \"{{steps.snapshot.output.rows}}\"]"));

    assertThat(rendered).isEqualTo(json("[\"snap-99\", 12]"));
  }

  @Test
  void showsStepOutputsAsPlaceholdersInAPlan() {
    JsonNode rendered = renderer.renderForPlan(json("[\"{{steps.later.output.id}}\", \"id={{steps.later.output.id}}\"]"));

    assertThat(rendered).isEqualTo(json("[\"<output of step later: id>\", \"id=<output of step later: id>\"]"));
  }

  @Test
  void failsNamingTheReferenceThatCannotBeResolved() {
    assertThatThrownBy(() -> renderer.render(json("{\"url\": \"x/{{params.missing}}\"}"), TemplateRenderer.Mode.EXECUTE, "/steps/0/action"))
        .isInstanceOf(UnresolvedTemplateException.class)
        .hasMessage("cannot render {{params.missing}} at steps[0].action.url: no parameter 'missing'");
    assertThatThrownBy(() -> renderer.render(json("\"{{env.UNSET}}\"")))
        .hasMessage("cannot render {{env.UNSET}}: env variable 'UNSET' is not available (not under template_env, or unset)");
    assertThatThrownBy(() -> renderer.render(json("\"{{steps.later.output.id}}\"")))
        .hasMessage("cannot render {{steps.later.output.id}}: step 'later' has no output yet");
    assertThatThrownBy(() -> renderer.render(json("\"{{steps.snapshot.output.nope}}\"")))
        .hasMessage("cannot render {{steps.snapshot.output.nope}}: the output of step 'snapshot' has no field 'nope'");
    assertThatThrownBy(() -> renderer.render(json("\"{{ params.limit * 2 }}\"")))
        .isInstanceOf(UnresolvedTemplateException.class)
        .hasMessageStartingWith("cannot render {{ params.limit * 2 }}: not a template reference");
  }

  @Test
  void neverRendersTemplatesThatArriveInsideValues() {
    TemplateRenderer r = new TemplateRenderer(TemplateContext.of(
        Map.of("name", Json.NODES.textNode("{{env.TOKEN}}")), Map.of("TOKEN", "s3cr3t"), Set.of("TOKEN")));

    assertThat(r.render(json("\"x-{{params.name}}\"")).asText()).isEqualTo("x-{{env.TOKEN}}");
  }

  @Test
  void reportsTheReferenceOnTheException() {
    assertThatThrownBy(() -> renderer.render(json("\"{{ params.missing }}\"")))
        .isInstanceOfSatisfying(UnresolvedTemplateException.class,
            e -> assertThat(e.reference()).isEqualTo("{{ params.missing }}"));
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
