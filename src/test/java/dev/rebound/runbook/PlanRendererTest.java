package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanRendererTest {
  private static final Map<String, String> ENV =
      Map.of("FEATURES_URL", "http://localhost:8090/features", "SECRET_TOKEN", "s3cr3t-value");
  private static final PlanRenderer RENDERER = new PlanRenderer(ApprovalPolicy.DEFAULT, ENV, Set.of("SECRET_TOKEN"));

  private final Runbook runbook = Fixtures.good();
  private final Plan plan = RENDERER.render(runbook, Map.of("snapshot_id", "snap-0a1b2c3d"));

  @Test
  void rendersActionsWithRealParametersAndMaskedSecrets() {
    PlanStep pause = plan.steps().get(0);

    assertThat(pause.action().get("url").asText()).isEqualTo("http://localhost:8090/features/admin/ingest/pause");
    assertThat(pause.action().get("headers").get("X-Admin-Token").asText()).isEqualTo("***");
    assertThat(pause.action().get("body").get("limit").isInt()).isTrue();
    assertThat(pause.actionSummary()).startsWith("POST http://localhost:8090/features/admin/ingest/pause");
    assertThat(pause.rollbackSummary()).contains("POST http://localhost:8090/features/admin/ingest/resume");
    assertThat(pause.verify().get(0).rendered().get("url").asText())
        .isEqualTo("http://localhost:8090/features/admin/ingest/status");
    assertThat(plan.preconditions().get(0).summary())
        .isEqualTo("admin API answers: GET http://localhost:8090/features/admin/ingest/status  expect: 200");
  }

  @Test
  void showsTheQueryOfAParametersCandidatesForTheReviewer() {
    Runbook withChoices = Fixtures.parse(Fixtures.minimal(
        "  - {id: one, title: t, risk: low, action: {type: wait, duration: \"1s\"}}\n",
        "params:\n  a: {type: string, default: x, choices: {datasource: features, sql: select id from snapshots}}\n"));
    Plan planned = RENDERER.render(withChoices, Map.of());

    assertThat(planned.toText()).contains(
        "candidates for a (read-only, once approved, on features): select id from snapshots\n");
    assertThat(planned.toJson().get("param_choices").get("a").get("sql").asText()).isEqualTo("select id from snapshots");
    assertThat(plan.toJson().get("param_choices").isEmpty()).isTrue();
  }

  @Test
  void showsTheApprovalEachStepNeeds() {
    PlanStep pause = plan.steps().get(0);
    PlanStep restore = plan.steps().get(2);

    assertThat(pause.approval()).isEqualTo(ApprovalPolicy.DEFAULT.requirementFor(Risk.LOW));
    assertThat(restore.risk()).isEqualTo(Risk.HIGH);
    assertThat(restore.approval().approvals()).isEqualTo(2);
    assertThat(restore.approval().roles()).containsExactly("approver", "admin");
    assertThat(restore.approval().distinctFromRequester()).isTrue();
  }

  @Test
  void showsFutureStepOutputsAsPlaceholdersAndIrreversibleSteps() {
    PlanStep snapshot = plan.steps().get(1);
    PlanStep restore = plan.steps().get(2);

    assertThat(restore.action().get("args")).isEqualTo(json("[\"snap-0a1b2c3d\", 100]"));
    assertThat(restore.rollback().orElseThrow().get("args"))
        .isEqualTo(json("[\"<output of step safety-snapshot: snapshot_id>\"]"));
    assertThat(snapshot.irreversible()).isTrue();
    assertThat(snapshot.rollback()).isEmpty();
    assertThat(plan.toJson().get("steps").get(1).get("rollback").asText()).isEqualTo("irreversible");
    assertThat(plan.toJson().get("steps").get(4).get("rollback").isNull()).isTrue();
  }

  @Test
  void carriesTheRunbookIdentityAndBoundParams() {
    JsonNode json = plan.toJson();

    assertThat(json.get("runbook_id").asText()).isEqualTo("feature-store-restore");
    assertThat(json.get("version").asInt()).isEqualTo(3);
    assertThat(json.get("content_hash").asText()).isEqualTo(runbook.contentHash());
    assertThat(json.get("params")).isEqualTo(json("{\"snapshot_id\": \"snap-0a1b2c3d\", \"limit\": 100}"));
    assertThat(json.get("steps").get(2).get("approval"))
        .isEqualTo(json("{\"approvals\": 2, \"roles\": [\"approver\", \"admin\"], \"distinct_from_requester\": true}"));
  }

  @Test
  void neverShowsASecretValue() {
    assertThat(plan.toText()).doesNotContain("s3cr3t-value");
    assertThat(plan.toJson().toString()).doesNotContain("s3cr3t-value");
  }

  @Test
  void printsAPlanAnEngineerCanReadAtThreeInTheMorning() {
    assertThat(plan.toText()).isEqualTo("""
        PLAN feature-store-restore v3 (dry run: nothing is executed)
        Restore the online feature store from the last verified snapshot
        content sha256: %s
        params: snapshot_id="snap-0a1b2c3d", limit=100

        Preconditions (must pass before step 1)
          - admin API answers: GET http://localhost:8090/features/admin/ingest/status  expect: 200

        Step 1/5  pause-ingest: Pause feature ingestion
          risk: LOW | changes state | approvals: 1 (responder, approver or admin)
          timeout 30s | retries: 2, backoff 2s | idempotent
          targets: pipelines.feature-ingest
          why:      Stops writes while the store is replaced.
          action:   POST http://localhost:8090/features/admin/ingest/pause  headers: X-Admin-Token: ***  body: {"reason":"restore snap-0a1b2c3d","limit":100}
          verify:   GET http://localhost:8090/features/admin/ingest/status  expect: 200, /paused = true
          rollback: POST http://localhost:8090/features/admin/ingest/resume

        Step 2/5  safety-snapshot: Snapshot the current store as the undo point
          risk: MEDIUM | changes state | approvals: 1 (approver or admin)
          timeout 5m | no retries | not idempotent
          targets: features.online
          action:   SQL on features: select create_snapshot($1) as snapshot_id  with $1="before snap-0a1b2c3d"
          rollback: none - IRREVERSIBLE (reversible: false)

        Step 3/5  restore: Replace the online store with the snapshot
          risk: HIGH | changes state | approvals: 2 distinct people, not the requester (approver or admin)
          timeout 5m | no retries | not idempotent
          targets: features.online
          action:   SQL on features: select restore_snapshot($1, $2) as rows_restored  with $1="snap-0a1b2c3d", $2=100
          verify:   rows restored: SQL on features: select count(*) from feature_values  expect: at least 1
          rollback: SQL on features: select restore_snapshot($1) as rows_restored  with $1="<output of step safety-snapshot: snapshot_id>"

        Step 4/5  reload-model: Reload the ranker against the restored features
          risk: MEDIUM | changes state | approvals: 1 (approver or admin)
          timeout 2m | no retries | not idempotent
          targets: features.online
          action:   RUN reload-model.sh --model ranker --reason 'restored snap-0a1b2c3d'  env: FEATURES_URL
          rollback: MANUAL: Reload the previous ranker version from the registry.

        Step 5/5  wait-for-replay: Wait for ingestion to replay the backlog
          risk: LOW | read-only | approvals: 1 (responder, approver or admin)
          timeout 1m | no retries | not idempotent
          targets: features.online
          action:   WAIT 45s
          verify:   freshness on features: select max(updated_at) from feature_values  max lag: 2m
          rollback: not needed (changes nothing)

        Invariants (after every step and after a rollback)
          - SQL on features: select count(*) from feature_values  expect: greater than 0

        Validation (must pass for the run to count as recovered)
          - model artifact intact: sha256 of asset models.ranker matches its lineage
          - latency GET http://localhost:8090/features/online/get: p95 under 250ms over 10 probes
          - drift (psi, 10 bins) on features at most 0.2  reference: select value from offline_features  current: select value from feature_values
        """.formatted(runbook.contentHash()));
  }

  @Test
  void refusesToPlanWithInvalidParameters() {
    assertThatThrownBy(() -> RENDERER.render(runbook, Map.of("snapshot_id", "snap-xyz")))
        .isInstanceOf(InvalidParametersException.class)
        .hasMessage("param snapshot_id: \"snap-xyz\" does not match ^snap-[0-9a-f]{8}$");
  }

  @Test
  void refusesToPlanWhenAnEnvVariableHasNoValue() {
    PlanRenderer withoutEnv = new PlanRenderer(ApprovalPolicy.DEFAULT, Map.of("SECRET_TOKEN", "x"), Set.of());

    assertThatThrownBy(() -> withoutEnv.render(runbook, Map.of("snapshot_id", "snap-0a1b2c3d")))
        .isInstanceOf(UnresolvedTemplateException.class)
        .hasMessage("cannot render {{env.FEATURES_URL}} at preconditions[0].url: env variable 'FEATURES_URL'"
            + " is not available (not under template_env, or unset)");
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
