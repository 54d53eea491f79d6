package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamBinderTest {
  private static final List<ParamSpec> SPECS = List.of(
      spec("snapshot_id", "{\"type\": \"string\", \"pattern\": \"^snap-[0-9a-f]{8}$\"}"),
      spec("limit", "{\"type\": \"integer\", \"minimum\": 1, \"default\": 100}"),
      spec("ratio", "{\"type\": \"number\", \"maximum\": 1, \"default\": 0.5}"),
      spec("dry_run", "{\"type\": \"boolean\", \"default\": true}"),
      spec("note", "{\"type\": \"string\", \"default\": \"\"}"));

  @Test
  void coercesStringsToTheDeclaredType() {
    BoundParams bound = ParamBinder.bindStrings(SPECS, Map.of(
        "snapshot_id", "snap-0a1b2c3d", "limit", "42", "ratio", "0.25", "dry_run", "FALSE", "note", "  kept as is "));

    assertThat(bound.errors()).isEmpty();
    assertThat(bound.values().get("limit").isInt()).isTrue();
    assertThat(bound.values().get("limit").intValue()).isEqualTo(42);
    assertThat(bound.values().get("ratio").doubleValue()).isEqualTo(0.25);
    assertThat(bound.values().get("dry_run").booleanValue()).isFalse();
    assertThat(bound.values().get("note").asText()).isEqualTo("  kept as is ");
  }

  @Test
  void appliesDefaultsInDeclarationOrder() {
    BoundParams bound = ParamBinder.bindStrings(SPECS, Map.of("snapshot_id", "snap-0a1b2c3d"));

    assertThat(bound.isValid()).isTrue();
    assertThat(bound.toJson()).isEqualTo(json(
        "{\"snapshot_id\": \"snap-0a1b2c3d\", \"limit\": 100, \"ratio\": 0.5, \"dry_run\": true, \"note\": \"\"}"));
    assertThat(bound.values().keySet()).containsExactly("snapshot_id", "limit", "ratio", "dry_run", "note");
  }

  @Test
  void rejectsUnknownParameters() {
    assertThat(ParamBinder.bindStrings(SPECS, Map.of("snapshot_id", "snap-0a1b2c3d", "limt", "5")).errors())
        .containsExactly("unknown param 'limt' (known: snapshot_id, limit, ratio, dry_run, note)");
    assertThat(ParamBinder.bindStrings(List.of(), Map.of("x", "1")).errors())
        .containsExactly("unknown param 'x' (this runbook takes no params)");
  }

  @Test
  void rejectsMissingRequiredParameters() {
    assertThat(ParamBinder.bindStrings(SPECS, Map.of()).errors())
        .containsExactly("param snapshot_id: missing (it has no default)");
  }

  @Test
  void namesTheParameterAndTheRuleItBreaks() {
    assertThat(ParamBinder.bindStrings(SPECS, Map.of("snapshot_id", "snap-xyz")).errors())
        .containsExactly("param snapshot_id: \"snap-xyz\" does not match ^snap-[0-9a-f]{8}$");
    assertThat(ParamBinder.bindStrings(SPECS, Map.of("snapshot_id", "snap-0a1b2c3d", "limit", "0")).errors())
        .containsExactly("param limit: must be at least 1 (got 0)");
  }

  @Test
  void reportsValuesThatDoNotCoerce() {
    assertThat(ParamBinder.bindStrings(SPECS, Map.of(
        "snapshot_id", "snap-0a1b2c3d", "limit", "ten", "ratio", "half", "dry_run", "yes")).errors())
        .containsExactly(
            "param limit: \"ten\" is not an integer",
            "param ratio: \"half\" is not a number",
            "param dry_run: \"yes\" is not a boolean");
  }

  @Test
  void reportsEveryProblemAtOnceAndBindsNothing() {
    BoundParams bound = ParamBinder.bindStrings(SPECS, Map.of("limit", "-1", "extra", "1"));

    assertThat(bound.values()).isEmpty();
    assertThat(bound.errors()).containsExactly(
        "param snapshot_id: missing (it has no default)",
        "param limit: must be at least 1 (got -1)",
        "unknown param 'extra' (known: snapshot_id, limit, ratio, dry_run, note)");
    assertThatThrownBy(bound::orElseThrow)
        .isInstanceOf(InvalidParametersException.class)
        .hasMessage("param snapshot_id: missing (it has no default) (and 2 more)");
  }

  @Test
  void takesTypedJsonAsGiven() {
    assertThat(ParamBinder.bindJson(SPECS, json("{\"snapshot_id\": \"snap-0a1b2c3d\", \"limit\": \"5\"}")).errors())
        .containsExactly("param limit: must be an integer (got \"5\")");
    BoundParams bound = ParamBinder.bindJson(SPECS, json("{\"snapshot_id\": \"snap-0a1b2c3d\", \"limit\": 7, \"note\": null}"));
    assertThat(bound.values().get("limit").intValue()).isEqualTo(7);
    assertThat(bound.values().get("note").asText()).isEmpty();
    assertThat(ParamBinder.bindJson(SPECS, json("[1]")).errors())
        .containsExactly("params must be a JSON object of name → value");
  }

  @Test
  void refusesToBindAgainstABrokenSchema() {
    List<ParamSpec> broken = List.of(spec("code", "{\"type\": \"string\", \"pattern\": \"[unclosed\"}"));

    assertThat(ParamBinder.bindStrings(broken, Map.of("code", "x")).errors()).containsExactly(
        "param code: its schema is invalid (invalid regular expression \"[unclosed\": Unclosed character class)");
  }

  private static ParamSpec spec(String name, String schema) {
    return ParamSpec.of(name, json(schema));
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
