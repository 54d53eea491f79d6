package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.yaml.YamlProblem;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunbookLoaderTest {

  @Test
  void loadsTheGoodFixtureIntoTheModel() {
    Runbook rb = Fixtures.good();

    assertThat(rb.id()).isEqualTo("feature-store-restore");
    assertThat(rb.version()).isEqualTo(3);
    assertThat(rb.author()).isEqualTo("alice");
    assertThat(rb.assets()).containsExactly("features.online");
    assertThat(rb.relatedRunbooks()).containsExactly("model-rollback");
    assertThat(rb.contentHash()).matches("[0-9a-f]{64}");
    assertThat(rb.path()).isPresent();
    assertThat(rb.params()).extracting(ParamSpec::name).containsExactly("snapshot_id", "limit");
    assertThat(rb.param("snapshot_id").orElseThrow().required()).isTrue();
    assertThat(rb.param("limit").orElseThrow().required()).isFalse();
    assertThat(rb.steps()).extracting(Step::id)
        .containsExactly("pause-ingest", "safety-snapshot", "restore", "reload-model", "wait-for-replay");
    assertThat(rb.preconditions()).hasSize(1);
    assertThat(rb.invariants()).extracting(Check::kind).containsExactly("sql");
    assertThat(rb.validation()).extracting(Check::kind).containsExactly("sha256", "latency", "drift");
  }

  @Test
  void mapsStepsWithTheirDefaults() {
    Runbook rb = Fixtures.good();
    Step pause = rb.step("pause-ingest").orElseThrow();
    Step snapshot = rb.step("safety-snapshot").orElseThrow();
    Step wait = rb.step("wait-for-replay").orElseThrow();

    Action.Http http = (Action.Http) pause.action();
    assertThat(http.method()).isEqualTo("POST");
    assertThat(http.url()).isEqualTo("{{ env.FEATURES_URL }}/admin/ingest/pause");
    assertThat(http.headers()).containsEntry("X-Admin-Token", "{{env.SECRET_TOKEN}}");
    assertThat(pause.retries()).isEqualTo(new Retries(2, Duration.ofSeconds(2)));
    assertThat(pause.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(pause.targets()).containsExactly("pipelines.feature-ingest");
    assertThat(pause.rollback()).isPresent();
    assertThat(pause.idempotent()).isTrue();
    assertThat(pause.isMutating()).isTrue();

    assertThat(snapshot.reversible()).contains(false);
    assertThat(snapshot.isIrreversible()).isTrue();
    assertThat(snapshot.targets()).containsExactly("features.online");
    assertThat(snapshot.retries()).isEqualTo(Retries.NONE);

    assertThat(((Action.Wait) wait.action()).duration()).isEqualTo(Duration.ofSeconds(45));
    assertThat(wait.timeout()).isEqualTo(Step.DEFAULT_TIMEOUT);
    assertThat(wait.isMutating()).isFalse();
    assertThat(wait.isIrreversible()).isFalse();
  }

  @Test
  void keepsRawActionsAndPositionsForLaterLookUps() {
    Runbook rb = Fixtures.good();
    Step restore = rb.step("restore").orElseThrow();

    assertThat(restore.action().raw().get("args").get(1).asText()).isEqualTo("{{params.limit}}");
    assertThat(rb.source().position(restore.pointer()).line()).isEqualTo(52);
  }

  @Test
  void returnsCopiesSoTheModelCannotBeChangedThroughRawTrees() {
    Runbook rb = Fixtures.good();
    Action action = rb.steps().get(0).action();

    ((com.fasterxml.jackson.databind.node.ObjectNode) action.raw()).put("url", "http://evil");

    assertThat(action.raw().get("url").asText()).startsWith("{{ env.FEATURES_URL }}");
  }

  static Stream<Arguments> schemaFixtures() {
    return Stream.of(
        Arguments.of("bad/wrong-type.yaml", "wrong-type.yaml:2:10: version: must be an integer (got \"three\")"),
        Arguments.of(
            "bad/unknown-key.yaml",
            "unknown-key.yaml:12:5: steps[0]: unknown key 'retires' (allowed: id, title, description, risk, action,"
                + " verify, rollback, reversible, idempotent, timeout, retries, targets)"),
        Arguments.of("bad/missing-required.yaml", "missing-required.yaml:8:5: steps[0]: missing required key 'risk'"),
        Arguments.of(
            "bad/bad-enum.yaml",
            "bad-enum.yaml:14:11: steps[1].risk: must be one of low, medium, high (got \"critical\")"),
        Arguments.of(
            "bad/bad-duration.yaml",
            "bad-duration.yaml:12:14: steps[0].timeout: \"5 minutes\" is not a duration"
                + " (use a whole number with ms, s, m or h, e.g. 500ms, 30s, 5m, 2h)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaFixtures")
  void reportsSchemaProblemsWithMessageAndPosition(String fixture, String expected) {
    LoadResult result = Fixtures.load(fixture);

    assertThat(result.isLoaded()).isFalse();
    assertThat(result.problems()).extracting(YamlProblem::toString).containsExactly(expected);
  }

  @Test
  void reportsMalformedYamlOnOneLine() {
    List<YamlProblem> problems = Fixtures.load("bad/malformed.yaml").problems();

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).toString()).startsWith("malformed.yaml:4:8: malformed YAML: ").doesNotContain("\n");
  }

  @Test
  void reportsAMissingFileOnOneLine() {
    assertThat(Fixtures.load("bad/nope.yaml").problems())
        .extracting(YamlProblem::toString)
        .containsExactly("nope.yaml:1:1: file not found");
  }

  @Test
  void reportsEveryProblemInFileOrder() {
    String yaml = """
        id: Bad_Id
        version: 0
        title: t
        summary: s
        assets: []
        retires: 3
        steps:
          - id: one
            title: t
            risk: low
            action: {type: shell}
          - id: two
            title: t
            risk: low
            action: {type: http, methd: POST, url: "http://x"}
        """;

    assertThat(new RunbookLoader().parse(yaml, "x.yaml").problems()).extracting(YamlProblem::toString).containsExactly(
        "x.yaml:1:1: missing required key 'author'",
        "x.yaml:1:5: id: \"Bad_Id\" does not match ^[a-z0-9][a-z0-9-]*$",
        "x.yaml:2:10: version: must be at least 1 (got 0)",
        "x.yaml:5:9: assets: must have at least one item",
        "x.yaml:6:1: unknown key 'retires' (allowed: id, version, title, summary, author, symptoms, assets,"
            + " related_runbooks, active, params, preconditions, steps, invariants, validation)",
        "x.yaml:11:20: steps[0].action.type: must be one of http, sql, command, manual, wait (got \"shell\")",
        "x.yaml:15:26: steps[1].action: unknown key 'methd' (allowed: type, method, url, headers, body, expect_status)");
  }

  @Test
  void reportsADocumentThatIsNotAMapping() {
    assertThat(new RunbookLoader().parse("- a\n- b\n", "x.yaml").problems())
        .extracting(YamlProblem::toString)
        .containsExactly("x.yaml:1:1: top level: must be a mapping (got a list)");
  }

  @Test
  void reportsProblemsInsideChecks() {
    String yaml = Fixtures.minimal("""
          - id: one
            title: t
            risk: low
            action: {type: wait, duration: 1s}
            verify:
              - {check: sql, datasource: features, sql: select 1, expect: {equals: 1, at_least: 2}}
              - {check: latency, url: "http://x", p95_max: fast}
              - {name: nameless}
        """, "");

    assertThat(new RunbookLoader().parse(yaml, "x.yaml").problems()).extracting(YamlProblem::toString).containsExactly(
        "x.yaml:13:67: steps[0].verify[0].expect: must have at most 1 key (got equals, at_least)",
        "x.yaml:14:52: steps[0].verify[1].p95_max: \"fast\" is not a duration"
            + " (use a whole number with ms, s, m or h, e.g. 500ms, 30s, 5m, 2h)",
        "x.yaml:15:9: steps[0].verify[2]: missing required key 'check'");
  }

  @Test
  void failsWithAllProblemsWhenAskedForTheRunbook() {
    assertThatThrownBy(() -> Fixtures.load("bad/bad-enum.yaml").orElseThrow())
        .isInstanceOf(InvalidRunbookException.class)
        .hasMessage("bad-enum.yaml:14:11: steps[1].risk: must be one of low, medium, high (got \"critical\")");
  }

  @Test
  void decidesActivationPerEnvironmentWithOverrides() {
    Runbook rb = Fixtures.good();

    assertThat(rb.isActiveIn("production", Set.of(), Set.of())).isTrue();
    assertThat(rb.isActiveIn("staging", Set.of(), Set.of())).isFalse();
    assertThat(rb.isActiveIn("dev", Set.of(), Set.of())).isFalse();
    assertThat(rb.isActiveIn("staging", Set.of(rb.id()), Set.of())).isTrue();
    assertThat(rb.isActiveIn("production", Set.of(), Set.of(rb.id()))).isFalse();
    assertThat(rb.isActiveIn("production", Set.of(rb.id()), Set.of(rb.id()))).isFalse();
  }

  @Test
  void treatsActiveAsTrueByDefaultAndHonoursABoolean() {
    String steps = "  - {id: one, title: t, risk: low, action: {type: wait, duration: 1s}}\n";

    assertThat(Fixtures.parse(Fixtures.minimal(steps, "")).isActiveIn("any", Set.of(), Set.of())).isTrue();
    assertThat(Fixtures.parse(Fixtures.minimal(steps, "active: false\n")).isActiveIn("any", Set.of(), Set.of()))
        .isFalse();
  }

  @Test
  void classifiesMutatingActionsAsTheFormatTableSays() throws Exception {
    assertThat(action("{\"type\":\"http\",\"url\":\"u\"}").isMutating()).isFalse();
    assertThat(action("{\"type\":\"http\",\"method\":\"HEAD\",\"url\":\"u\"}").isMutating()).isFalse();
    assertThat(action("{\"type\":\"http\",\"method\":\"DELETE\",\"url\":\"u\"}").isMutating()).isTrue();
    assertThat(action("{\"type\":\"sql\",\"datasource\":\"d\",\"sql\":\"s\"}").isMutating()).isTrue();
    assertThat(action("{\"type\":\"sql\",\"datasource\":\"d\",\"sql\":\"s\",\"read_only\":true}").isMutating()).isFalse();
    assertThat(action("{\"type\":\"command\",\"command\":\"c\"}").isMutating()).isTrue();
    assertThat(action("{\"type\":\"manual\",\"instructions\":\"i\"}").isMutating()).isTrue();
    assertThat(action("{\"type\":\"wait\",\"duration\":\"1s\"}").isMutating()).isFalse();
  }

  private static Action action(String json) throws Exception {
    return Action.of(Json.MAPPER.readTree(json));
  }
}
