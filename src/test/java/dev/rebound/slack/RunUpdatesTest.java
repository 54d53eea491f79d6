package dev.rebound.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Thread replies from the engine's published audit entries. */
class RunUpdatesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant CREATED = Instant.parse("2026-01-05T10:00:00Z");

  private static Optional<String> reply(String entry, Optional<Duration> rto) throws Exception {
    return RunUpdates.reply(JSON.readTree(entry), CREATED, rto);
  }

  @Test
  void the_end_of_a_run_says_how_long_it_took_against_the_rto() throws Exception {
    assertThat(reply("{\"action\": \"run.succeeded\", \"at\": \"2026-01-05T10:12:30Z\", \"details\": {}}",
        Optional.of(Duration.ofMinutes(30)))).contains(":tada: Run succeeded in 12m 30s against an RTO of 30m (within)");
    assertThat(reply("{\"action\": \"run.failed\", \"at\": \"2026-01-05T10:45:00Z\", \"details\": {\"error\":"
        + " \"validation failed\"}}", Optional.of(Duration.ofMinutes(30))))
        .contains(":rotating_light: Run failed after 45m 0s: validation failed");
    assertThat(reply("{\"action\": \"run.succeeded\", \"at\": \"2026-01-05T10:45:00Z\", \"details\": {}}",
        Optional.of(Duration.ofMinutes(30)))).contains(":tada: Run succeeded in 45m 0s against an RTO of 30m (*over* by"
        + " 15m 0s)");
    assertThat(reply("{\"action\": \"run.rolled_back\", \"at\": \"2026-01-05T10:00:20Z\", \"details\": {}}",
        Optional.empty())).contains(":leftwards_arrow_with_hook: Run rolled back after 20s");
  }

  /** A run that recovered nothing is not judged against the RTO: "within" would read as a recovery. */
  @Test
  void a_run_that_ended_without_recovering_says_how_long_it_ran_not_how_it_did_against_the_rto() throws Exception {
    assertThat(reply("{\"action\": \"run.aborted\", \"actor_id\": \"alice\", \"at\": \"2026-01-05T10:00:17Z\","
        + " \"details\": {}}", Optional.of(Duration.ofMinutes(30))))
        .contains(":octagonal_sign: Run aborted by alice after 17s");
    assertThat(reply("{\"action\": \"run.rolled_back\", \"at\": \"2026-01-05T10:00:20Z\", \"details\": {}}",
        Optional.of(Duration.ofMinutes(30)))).contains(":leftwards_arrow_with_hook: Run rolled back after 20s");
  }

  /**
   * A failed run can still be rolled back: the line says what stays, which of it the rollback
   * undoes, and where to press; a step without an undo is named as such.
   */
  @Test
  void the_end_of_a_failed_run_says_what_it_left_in_effect_and_how_to_roll_it_back() throws Exception {
    JsonNode view = JSON.readTree("{\"id\": \"run-1\", \"state\": \"failed\", \"left_in_effect\": ["
        + "{\"step_id\": \"pause\", \"applied\": \"yes\", \"undo\": \"rollback\","
        + " \"undo_summary\": \"POST http://t/cache/resume\"},"
        + "{\"step_id\": \"purge\", \"applied\": \"maybe\", \"undo\": \"none\", \"undo_summary\": null}]}");
    assertThat(RunUpdates.leftInEffect(view, Optional.of("https://console.test"))).contains(":warning: Left in effect:"
        + " `pause` (undo: `POST http://t/cache/resume`), `purge` (may have applied; no undo). Roll the run back to run"
        + " this undo: *Roll back* in the console (https://console.test/#/runs/run-1) or `POST /api/runs/run-1/rollback`.");
    assertThat(RunUpdates.leftInEffect(JSON.readTree("{\"id\": \"run-2\", \"left_in_effect\": []}"),
        Optional.empty())).isEmpty();
    assertThat(RunUpdates.leftInEffect(JSON.readTree("{\"id\": \"run-3\", \"left_in_effect\": null}"),
        Optional.empty())).isEmpty();
  }

  @Test
  void steps_and_validation_get_a_line_other_entries_none_and_text_is_escaped() throws Exception {
    assertThat(reply("{\"action\": \"step.failed\", \"details\": {\"step_id\": \"reload\", \"error\": \"HTTP 500"
        + " <!channel>\"}}", Optional.empty()))
        .contains(":x: Step `reload` failed: HTTP 500 &lt;!channel&gt; - retry, roll back or abort from the console");
    assertThat(reply("{\"action\": \"check.failed\", \"details\": {\"phase\": \"validation\", \"name\": \"fresh\","
        + " \"message\": \"age 40m\"}}", Optional.empty())).contains(":x: Final validation `fresh` failed: age 40m");
    assertThat(reply("{\"action\": \"check.passed\", \"details\": {\"phase\": \"verify\", \"name\": \"x\"}}",
        Optional.empty())).isEmpty();
    assertThat(reply("{\"action\": \"approval.recorded\", \"actor_id\": \"alice\", \"details\": {\"step_id\":"
        + " \"reload\", \"approvals\": 1, \"approvals_required\": 2}}", Optional.empty()))
        .contains(":ballot_box_with_check: alice approved step `reload` (1 of 2): it runs after 1 more approval by"
            + " someone else");
    assertThat(reply("{\"action\": \"step.awaiting_approval\", \"details\": {}}", Optional.empty())).isEmpty();
    JsonNode end = JSON.readTree("{\"action\": \"run.aborted\"}");
    assertThat(RunUpdates.ends(end)).isTrue();
    assertThat(RunUpdates.ends(JSON.readTree("{\"action\": \"step.succeeded\"}"))).isFalse();
  }
}
