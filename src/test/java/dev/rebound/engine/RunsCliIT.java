package dev.rebound.engine;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.rebound.engine.EngineFixture.actionHash;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rebound.cli.CliEnvironment;
import dev.rebound.cli.Main;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code rebound runs list|show|approve|reject} against a real database, on runs an engine
 * created: the CLI applies the API's rules (refusals are audited) and executes nothing itself.
 */
@ExtendWith(VertxExtension.class)
class RunsCliIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension
  static final WireMockExtension target = WireMockExtension.newInstance().options(options().dynamicPort()).build();

  private record Result(int exit, String out, String err) {}

  private static Result cli(EngineFixture f, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new Main(CliEnvironment.of(Map.of("DATABASE_URL", db.urlText(),
            "TARGET_URL", "http://127.0.0.1:" + target.getPort()), f.root)))
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void lists_shows_and_approves_a_high_risk_step_with_the_api_rules(Vertx vertx, @TempDir Path tempDir)
      throws Exception {
    try (EngineFixture f = new EngineFixture(vertx, db, target, tempDir)) {
      Engine engine = f.engine(EngineFixture.settings().withDispatchOnApproval(false));
      JsonNode view = f.create(engine, "carol", "high", "{\"n\": 7}");
      String runId = view.path("id").asText();
      String hash = actionHash(view, "drop");

      Result list = cli(f, "runs", "list", "--state", "proposed");
      Result json = cli(f, "runs", "list", "--json");
      Result show = cli(f, "runs", "show", runId);
      Result requester = cli(f, "runs", "approve", runId, "drop", "--as", "carol", "--action-hash", hash);
      Result viewer = cli(f, "runs", "approve", runId, "drop", "--as", "grace", "--action-hash", hash);
      // A hash mistyped near its end: the refusal must show both where they differ.
      String mistyped = hash.substring(0, 60) + (hash.charAt(60) == '0' ? "1" : "0") + hash.substring(61);
      Result stale = cli(f, "runs", "approve", runId, "drop", "--as", "alice", "--action-hash", mistyped);
      Result first = cli(f, "runs", "approve", runId, "drop", "--as", "alice", "--action-hash", hash);
      Result second = cli(f, "runs", "approve", runId, "drop", "--as", "bruno", "--action-hash", hash, "--json");

      assertThat(list.exit()).as(list.toString()).isZero();
      assertThat(list.out()).contains(runId, "high@v1", "proposed", "carol");
      assertThat(json.out()).contains("\"id\" : \"" + runId + "\"");
      assertThat(show.exit()).as(show.toString()).isZero();
      assertThat(show.out()).contains("awaiting approval of step drop", "action hash: " + hash)
          .contains("high risk, 2 approvals by");
      assertThat(requester.exit()).isEqualTo(1);
      assertThat(requester.err()).contains("carol requested this run");
      assertThat(viewer.exit()).isEqualTo(1);
      assertThat(viewer.err()).contains("approving a step needs one of responder, approver, admin (the approval"
              + " policy, for any risk); grace has viewer (team.yaml)")
          .as("no token is involved on the command line").doesNotContain("(token)");
      assertThat(stale.exit()).isEqualTo(1);
      assertThat(stale.err()).contains("is now " + hash.substring(0, 61) + "…, not the " + mistyped.substring(0, 61)
          + "… you reviewed: review it again");
      assertThat(first.exit()).as(first.toString()).isZero();
      assertThat(first.out()).contains("1 of 2 approvals", "waiting for 1 more approval from someone else");
      assertThat(second.exit()).as(second.toString()).isZero();
      assertThat(second.out()).contains("\"step_approved\" : true", "\"action_hash\" : \"" + hash + "\"");
      // The CLI executed nothing: the step waits, approved, for a service to claim it.
      assertThat(f.calls("POST", "/high/7")).isZero();
      assertThat(EngineFixture.step(f.view(engine, runId), "drop").path("state").asText()).isEqualTo("approved");
      assertThat(f.audit(runId, "approval.refused")).hasSize(3);
    }
  }

  @Test
  void rejects_a_step_and_names_a_bad_state_filter(Vertx vertx, @TempDir Path tempDir) throws Exception {
    try (EngineFixture f = new EngineFixture(vertx, db, target, tempDir)) {
      Engine engine = f.engine(EngineFixture.settings());
      JsonNode view = f.create(engine, "dmitri", "low", "{}");
      String runId = view.path("id").asText();
      String step = view.path("steps").get(0).path("id").asText();

      Result rejected = cli(f, "runs", "reject", runId, step, "--as", "alice", "--reason", "wrong snapshot");
      Result shown = cli(f, "runs", "show", runId);
      Result badState = cli(f, "runs", "list", "--state", "sleeping");
      Result missing = cli(f, "runs", "show", "run_nope_nope");

      assertThat(rejected.exit()).as(rejected.toString()).isZero();
      assertThat(EngineFixture.step(f.view(engine, runId), step).path("state").asText()).isEqualTo("failed");
      // What the run waits for now, and how to give it: the CLI has no retry, rollback or abort.
      assertThat(shown.out()).contains("awaiting a decision on step " + step + ": ")
          .contains("rejected by alice").contains("wrong snapshot")
          .contains("retry:       POST /api/runs/" + runId + "/steps/" + step + "/retry")
          .contains("rollback:    POST /api/runs/" + runId + "/rollback")
          .contains("abort:       POST /api/runs/" + runId + "/abort");
      assertThat(badState.exit()).isEqualTo(1);
      assertThat(badState.err()).contains("unknown run state 'sleeping'");
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err()).contains("run_nope_nope");
    }
  }
}
