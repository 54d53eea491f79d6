package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.FIXTURES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.testing.TestDatabase;
import dev.rebound.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code rebound drill list --json}: what {@code GET /api/drills} answers, from the stored drills. */
class DrillListCommandIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  @Test
  void saysWhereItLookedWhenThereIsNoScenario(@TempDir Path dir) throws Exception {
    TestFiles.copyTree(FIXTURES, dir);
    CliRunner cli = CliRunner.in(dir, Map.of("DATABASE_URL", db.urlText()));

    CliRunner.Result result = cli.run("drill", "list");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.out().strip()).isEqualTo("no drill scenarios in drills (drills/*.yaml, beside the runbooks"
        + " directory)");
  }

  @Test
  void jsonHasEachScenariosLastDrillAndTheRunbooksTrendAsStored(@TempDir Path dir) throws Exception {
    TestFiles.copyTree(FIXTURES, dir);
    Files.createDirectories(dir.resolve("drills"));
    for (String id : new String[] {"shop-hangs", "shop-slow", "shop-idle"}) {
      Files.writeString(dir.resolve("drills/" + id + ".yaml"), """
          id: %s
          title: The shop API (%s)
          fault: serving-primary-down
          symptom: the shop API answers nothing
          assets: [svc.shop]
          expected_runbook: restart-shop
          params: {reason: drill}
          """.formatted(id, id));
    }
    drill("hangs-1", "shop-hangs", "passed", "2026-01-01T00:00:00Z", 5_000L, true);
    drill("slow-1", "shop-slow", "passed", "2026-01-02T00:00:00Z", 4_000L, true);
    drill("hangs-2", "shop-hangs", "failed", "2026-01-03T00:00:00Z", 700_000L, false);
    CliRunner cli = CliRunner.in(dir, Map.of("DATABASE_URL", db.urlText()));

    CliRunner.Result result = cli.run("drill", "list", "--json");

    assertThat(result.exit()).as(result.toString()).isZero();
    JsonNode body = new ObjectMapper().readTree(result.out());
    assertThat(body.path("scenarios")).extracting(s -> s.path("id").asText())
        .containsExactlyInAnyOrder("shop-hangs", "shop-slow", "shop-idle");
    JsonNode hangs = scenario(body, "shop-hangs");
    assertThat(hangs.path("expected_runbook").asText()).isEqualTo("restart-shop");
    assertThat(hangs.path("last").path("drill_id").asText()).isEqualTo("hangs-2");
    assertThat(hangs.path("last").path("status").asText()).isEqualTo("failed");
    assertThat(hangs.path("last").path("recovery_ms").asLong()).isEqualTo(700_000L);
    assertThat(hangs.path("last").path("within_rto").asBoolean(true)).isFalse();
    assertThat(hangs.path("last").path("finished_at").asText()).isEqualTo("2026-01-03T00:00:00Z");
    assertThat(scenario(body, "shop-slow").path("last").path("drill_id").asText()).isEqualTo("slow-1");
    assertThat(scenario(body, "shop-idle").path("last").isNull()).isTrue();
    // The runbook's passed drills, newest first, whichever scenario drilled it.
    assertThat(body.path("trends")).hasSize(1);
    assertThat(body.path("trends").get(0).path("runbook").asText()).isEqualTo("restart-shop");
    assertThat(body.path("trends").get(0).path("trend").path("recovery_ms")).extracting(JsonNode::asLong)
        .containsExactly(4_000L, 5_000L);
    assertThat(body.path("trends").get(0).path("trend").path("direction").asText()).isEqualTo("improving");
  }

  private static JsonNode scenario(JsonNode body, String id) {
    for (JsonNode s : body.path("scenarios")) {
      if (s.path("id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no scenario " + id + " in " + body);
  }

  private static void drill(String id, String scenario, String status, String startedAt, long recoveryMs,
      boolean withinRto) throws Exception {
    db.execute("insert into drill_reports (drill_id, scenario_id, runbook_id, assets, status, started_at,"
        + " finished_at, recovery_ms, within_rto, report) values ('" + id + "', '" + scenario + "', 'restart-shop',"
        + " array['svc.shop'], '" + status + "', '" + startedAt + "', '" + startedAt + "', " + recoveryMs
        + ", " + withinRto + ", '{}'::jsonb)");
  }
}
