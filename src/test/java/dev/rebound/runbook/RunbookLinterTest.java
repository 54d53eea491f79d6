package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunbookLinterTest {
  private final RunbookLinter linter = new RunbookLinter();

  @Test
  void findsNothingWrongWithTheGoodFixture() {
    assertThat(linter.lint(Fixtures.good(), Fixtures.context(Fixtures.GOOD_SCRIPTS))).isEmpty();
  }

  static Stream<Arguments> lintFixtures() {
    String scripts = Fixtures.BAD_SCRIPTS.toString();
    return Stream.of(
        Arguments.of("duplicate-step-id.yaml", List.of(
            "duplicate-step-id.yaml:12:9: duplicate step id 'check' (first used at line 8)")),
        Arguments.of("dangling-template.yaml", List.of(
            "dangling-template.yaml:11:31: steps[0].action.url: unknown param 'missing' in {{params.missing}}"
                + " (this runbook declares no params)",
            "dangling-template.yaml:13:28: steps[0].verify[0].url: {{steps.nope.output.id}} names no step 'nope'")),
        Arguments.of("later-step-ref.yaml", List.of(
            "later-step-ref.yaml:11:31: steps[0].action.url: {{steps.second.output.id}} refers to step 'second',"
                + " which runs later (only earlier steps have output)")),
        Arguments.of("unknown-env.yaml", List.of(
            "unknown-env.yaml:11:31: steps[0].action.url: env variable 'NOPE' in {{env.NOPE}} is not allowed"
                + " (allowed: FEATURES_URL, SECRET_TOKEN)")),
        Arguments.of("mutating-without-rollback.yaml", List.of(
            "mutating-without-rollback.yaml:8:5: step 'pause': changes state (http POST) but has no 'rollback';"
                + " add one or declare 'reversible: false'")),
        Arguments.of("unknown-asset.yaml", List.of(
            "unknown-asset.yaml:6:27: unknown asset 'features.nowhere' (not in knowledge/assets.yaml)")),
        Arguments.of("unknown-author.yaml", List.of(
            "unknown-author.yaml:5:9: unknown author 'mallory' (not in knowledge/team.yaml)")),
        Arguments.of("bad-param-schema.yaml", List.of(
            "bad-param-schema.yaml:8:35: params.limit.minimum: must be a number (got \"ten\")",
            "bad-param-schema.yaml:9:33: params.code.pattern: invalid regular expression:"
                + " Unclosed character class near index 8")),
        Arguments.of("bad-param-default.yaml", List.of(
            "bad-param-default.yaml:8:48: params.limit.default: must be at least 10 (got 5)")),
        Arguments.of("command-outside-scripts.yaml", List.of(
            "command-outside-scripts.yaml:11:38: command '../outside.sh' is outside the scripts directory (" + scripts + ")",
            "command-outside-scripts.yaml:17:38: command '/bin/sh' must be a path relative to the scripts directory ("
                + scripts + ")",
            "command-outside-scripts.yaml:23:38: command 'not-there.sh' not found in the scripts directory ("
                + scripts + ")")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lintFixtures")
  void reportsEachLintProblemWithMessageAndPosition(String fixture, List<String> expected) {
    List<LintFinding> findings = linter.lint(Fixtures.load("bad/" + fixture), Fixtures.context(Fixtures.BAD_SCRIPTS));

    assertThat(findings).extracting(LintFinding::toString).containsExactlyElementsOf(expected);
    assertThat(RunbookLinter.hasErrors(findings)).isTrue();
  }

  @Test
  void turnsLoadProblemsIntoErrors() {
    assertThat(linter.lint(Fixtures.load("bad/wrong-type.yaml"), Fixtures.context(null)))
        .extracting(LintFinding::toString)
        .containsExactly("wrong-type.yaml:2:10: version: must be an integer (got \"three\")");
  }

  @Test
  void requiresTheFileNameToMatchTheId(@TempDir Path dir) throws IOException {
    Path copy = Files.copy(Fixtures.ROOT.resolve("good/feature-store-restore.yaml"), dir.resolve("restore.yaml"));
    Runbook rb = new RunbookLoader().load(copy, "restore.yaml").orElseThrow();

    assertThat(linter.lint(rb, Fixtures.context(Fixtures.GOOD_SCRIPTS))).extracting(LintFinding::toString).containsExactly(
        "restore.yaml:3:5: id 'feature-store-restore' does not match the file name 'restore.yaml'"
            + " (expected feature-store-restore.yaml)");
  }

  @Test
  void refusesACommandThatLinksOutOfTheScriptsDirectory(@TempDir Path dir) throws IOException {
    Path scripts = Files.createDirectory(dir.resolve("scripts"));
    Path outside = Files.writeString(dir.resolve("evil.sh"), "#!/bin/sh\n");
    Files.createSymbolicLink(scripts.resolve("innocent.sh"), outside);
    Runbook rb = Fixtures.parse(Fixtures.minimal("""
          - id: run
            title: Run it
            risk: low
            action: {type: command, command: innocent.sh}
            reversible: false
            timeout: 1m
        """, ""));

    assertThat(linter.lint(rb, Fixtures.context(scripts))).extracting(LintFinding::toString).containsExactly(
        "inline.yaml:11:38: command 'innocent.sh' links outside the scripts directory (" + scripts + ")");
  }

  @Test
  void refusesTemplatesInFixedTextFields() {
    Runbook rb = Fixtures.parse(Fixtures.minimal("""
          - id: query
            title: Query
            risk: low
            action:
              type: sql
              datasource: features
              read_only: true
              sql: "select * from t where id = '{{params.id}}'"
          - id: run
            title: Run
            risk: low
            action: {type: command, command: "{{params.id}}.sh", env: [FEATURES_URL]}
            reversible: false
            timeout: 1m
        """, "params: {id: {type: string}}\n"));

    assertThat(lintErrors(rb)).containsExactly(
        "inline.yaml:16:12: steps[0].action.sql: templates are not allowed in SQL text; pass values as args ($1, $2, …)",
        "inline.yaml:20:38: steps[1].action.command: the command path must be literal (no templates)");
  }

  /** Keys are never rendered: a templated header name or body key would go out as written. */
  @Test
  void refusesTemplatesInKeysOfActionsAndChecks() {
    Runbook rb = Fixtures.parse(Fixtures.minimal("""
          - id: flush
            title: Flush
            risk: low
            action:
              type: http
              method: POST
              url: "http://x/flush"
              headers: {"X-{{params.id}}": "1"}
              body: {ids: [{"{{ params.id }}": true}]}
            reversible: false
            verify:
              - {check: http, url: "http://x/state", expect_json: {"/{{params.id}}": true}}
        """, "params: {id: {type: string}}\n"));

    assertThat(lintErrors(rb)).containsExactly(
        "inline.yaml:16:17: steps[0].action.headers.X-{{params.id}}: templates are not rendered in keys, so"
            + " 'X-{{params.id}}' would be used as written; template the value instead",
        "inline.yaml:17:21: steps[0].action.body.ids[0].{{ params.id }}: templates are not rendered in keys, so"
            + " '{{ params.id }}' would be used as written; template the value instead",
        "inline.yaml:20:60: steps[0].verify[0].expect_json./{{params.id}}: templates are not rendered in keys, so"
            + " '/{{params.id}}' would be used as written; template the value instead");
  }

  @Test
  void allowsStepOutputsOnlyWhereTheStepHasRun() {
    Runbook rb = Fixtures.parse("""
        id: inline
        version: 1
        title: Inline runbook
        summary: A runbook written inside a test.
        author: alice
        assets: [features.online]
        preconditions:
          - {check: http, url: "http://x/{{steps.snap.output.id}}"}
        steps:
          - id: snap
            title: Snapshot
            risk: low
            action: {type: http, url: "http://x/{{steps.snap.output.id}}"}
            verify:
              - {check: http, url: "http://x/{{steps.snap.output.id}}"}
          - id: pause
            title: Wait a bit
            risk: low
            action: {type: wait, duration: 1s}
          - id: ask
            title: Ask a person
            risk: low
            action: {type: manual, instructions: "Check {{steps.pause.output.x}}"}
            rollback: {type: manual, instructions: "Undo {{steps.ask.output.note}} {{steps.ask.output.id}}"}
        invariants:
          - {check: http, url: "http://x/{{steps.snap.output.id}}"}
        validation:
          - {check: http, url: "http://x/{{steps.ask.output.confirmed_by}}"}
        """);

    assertThat(lintErrors(rb)).containsExactly(
        "inline.yaml:8:24: preconditions[0].url: {{steps.snap.output.id}}: preconditions run before any step,"
            + " so no step has output yet",
        "inline.yaml:13:31: steps[0].action.url: {{steps.snap.output.id}} is this step's own output, which exists"
            + " only after its action (use it in verify or rollback)",
        "inline.yaml:23:42: steps[2].action.instructions: {{steps.pause.output.x}}: step 'pause' is a wait step"
            + " and has no output",
        "inline.yaml:24:44: steps[2].rollback.instructions: {{steps.ask.output.id}}: step 'ask' is a manual step;"
            + " its output fields are confirmed_by and note",
        "inline.yaml:26:24: invariants[0].url: {{steps.snap.output.id}}: invariants run after every step,"
            + " so a step's output may not exist yet");
  }

  @Test
  void checksReferencesToConfiguredNames() {
    Runbook rb = Fixtures.parse(Fixtures.minimal("""
          - id: run
            title: Run
            risk: low
            targets: [models.nowhere]
            action: {type: command, command: reload-model.sh, env: [HOME]}
            verify:
              - {check: sql, datasource: warehouse, sql: select 1, expect: {equals: 1}}
              - {check: sha256, path: /tmp/model.bin}
            reversible: false
            timeout: 1m
        """, "related_runbooks: [nowhere]\n"));

    assertThat(lintErrors(rb)).containsExactly(
        "inline.yaml:7:20: unknown runbook 'nowhere'",
        "inline.yaml:12:15: unknown asset 'models.nowhere' (not in knowledge/assets.yaml)",
        "inline.yaml:13:61: env variable 'HOME' is not allowed (allowed: FEATURES_URL, SECRET_TOKEN)",
        "inline.yaml:15:34: unknown datasource 'warehouse' (configured: features)",
        "inline.yaml:16:9: steps[0].verify[1]: a sha256 check needs either 'asset', or 'path' or 'url' with 'expected'");
  }

  @Test
  void refusesAnActiveMapNamingAnEnvironmentThatDoesNotExist() {
    Runbook rb = Fixtures.parse(Fixtures.minimal("""
          - id: run
            title: Run
            risk: low
            action: {type: http, method: POST, url: "http://x/a"}
            reversible: false
        """, "active: {prodution: true, staging: false}\n"));

    assertThat(lintErrors(rb)).containsExactly(
        "inline.yaml:7:10: unknown environment 'prodution' (environments: development, production, staging;"
            + " others are added to environments in rebound.yaml)");
  }

  @Test
  void requiresAConsistentUndoDeclaration() {
    Runbook rb = Fixtures.parse(Fixtures.minimal("""
          - id: one
            title: Says reversible but has no rollback
            risk: low
            action: {type: http, method: POST, url: "http://x/a"}
            reversible: true
          - id: two
            title: Has a rollback but says irreversible
            risk: low
            action: {type: http, method: POST, url: "http://x/b"}
            rollback: {type: http, method: POST, url: "http://x/undo-b"}
            reversible: false
        """, ""));

    assertThat(lintErrors(rb)).containsExactly(
        "inline.yaml:12:17: step 'one': 'reversible: true' needs a 'rollback' action",
        "inline.yaml:18:17: step 'two': 'reversible: false' contradicts its 'rollback'");
  }

  @Test
  void rejectsAWaitLongerThanItsStepTimeout() {
    Runbook rb = Fixtures.parse(Fixtures.minimal("""
          - id: drain
            title: Let the caches drain
            risk: low
            action: {type: wait, duration: 5m}
          - id: settle
            title: Waits within its timeout
            risk: low
            action: {type: wait, duration: 2m}
            timeout: 2m
          - id: undo
            title: Rolls back by waiting too long
            risk: low
            action: {type: http, method: POST, url: "http://x/a"}
            rollback: {type: wait, duration: 90s}
            timeout: 30s
        """, ""));

    assertThat(lintErrors(rb)).containsExactly(
        "inline.yaml:11:36: step 'drain': waits 5m, longer than the step's timeout 1m"
            + " (a run would fail this step at once); raise 'timeout'",
        "inline.yaml:21:38: step 'undo': waits 90s, longer than the step's timeout 30s"
            + " (a run would fail this step at once); raise 'timeout'");
  }

  @Test
  void warnsAboutRiskyButLegalRunbooks() {
    Runbook rb = Fixtures.parse("""
        id: inline
        version: 1
        title: Inline runbook
        summary: A runbook written inside a test.
        author: alice
        assets: [features.online]
        steps:
          - id: reload
            title: Reload
            risk: high
            action: {type: command, command: reload-model.sh}
            reversible: false
            retries: {max: 3}
        """);

    List<LintFinding> findings = linter.lint(rb, Fixtures.context(Fixtures.GOOD_SCRIPTS));

    assertThat(RunbookLinter.hasErrors(findings)).isFalse();
    assertThat(findings).extracting(LintFinding::toString).containsExactly(
        "inline.yaml:1:1: warning: no validation checks: a run cannot show that anything recovered",
        "inline.yaml:10:11: warning: step 'reload': high-risk step without verify checks; nothing confirms it worked",
        "inline.yaml:11:13: warning: step 'reload': runs a command without a 'timeout' (the default 1m applies)",
        "inline.yaml:13:14: warning: step 'reload': retries a step that is not idempotent; a retry may repeat its effect");
  }

  @Test
  void warnsThatBinsOfAKsDriftCheckAreIgnored() {
    Runbook rb = Fixtures.parse(Fixtures.minimal("""
          - id: check
            title: Check drift
            risk: low
            action: {type: wait, duration: 1s}
            verify:
              - {check: drift, datasource: features, reference_sql: select 1, current_sql: select 1,
                 method: ks, threshold: 0.2, bins: 20}
              - {check: drift, datasource: features, reference_sql: select 1, current_sql: select 1,
                 method: psi, threshold: 0.2, bins: 20}
        """, ""));

    assertThat(linter.lint(rb, Fixtures.context(null))).extracting(LintFinding::toString).containsExactly(
        "inline.yaml:14:38: warning: steps[0].verify[0]: 'bins' applies to method psi only; method ks ignores it");
  }

  @Test
  void requiresSelfContainedParamSchemasAndFlagsUnknownKeywords() {
    Runbook rb = Fixtures.parse(Fixtures.minimal(
        "  - {id: one, title: t, risk: low, action: {type: wait, duration: \"1s\"}}\n",
        "params:\n  a: {type: string, $ref: \"http://example.com/s.json\"}\n  b: {type: string, patern: \"^x$\"}\n"));

    assertThat(linter.lint(rb, Fixtures.context(null))).extracting(LintFinding::toString).containsExactly(
        "inline.yaml:8:21: params.a.$ref: parameter schemas must be self-contained (no $ref)",
        "inline.yaml:9:21: warning: param b: unknown JSON Schema keyword 'patern' (ignored when validating)");
  }

  @Test
  void refusesChoicesWithoutAQuery() {
    assertThatThrownBy(() -> Fixtures.parse(Fixtures.minimal(
        "  - {id: one, title: t, risk: low, action: {type: wait, duration: \"1s\"}}\n",
        "params:\n  d: {type: string, choices: {datasource: features}}\n")))
        .hasMessage("inline.yaml:8:30: params.d.choices: missing required key 'sql'");
  }

  @Test
  void checksTheDatasourceAndTemplatesOfChoicesOnAValidRunbook() {
    Runbook rb = Fixtures.parse(Fixtures.minimal(
        "  - {id: one, title: t, risk: low, action: {type: wait, duration: \"1s\"}}\n",
        "params:\n"
            + "  a: {type: string, choices: {datasource: features, sql: select id from snapshots}}\n"
            + "  b: {type: string, choices: {datasource: warehouse, sql: select id from snapshots}}\n"
            + "  c: {type: string, choices: {datasource: features, sql: \"select id from t where x = '{{params.a}}'\"}}\n"
            + "  e: {type: string, enum: [x, y], choices: {datasource: features, sql: select id from snapshots}}\n"));

    assertThat(linter.lint(rb, Fixtures.context(null))).extracting(LintFinding::toString).containsExactly(
        "inline.yaml:9:43: unknown datasource 'warehouse' (configured: features)",
        "inline.yaml:10:58: param c: choices are read before any parameter is bound, so their sql cannot use templates",
        "inline.yaml:11:35: warning: param e: choices are not offered for an enum or boolean parameter (its form"
            + " already lists the values)");
    assertThat(rb.param("a").orElseThrow().choices()).contains(new ParamSpec.Choices("features", "select id from snapshots"));
  }

  private List<String> lintErrors(Runbook rb) {
    return linter.lint(rb, Fixtures.context(Fixtures.GOOD_SCRIPTS)).stream()
        .filter(LintFinding::isError)
        .map(LintFinding::toString)
        .toList();
  }
}
