package dev.rebound.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A loop's failures during an outage: a line when it starts, one a minute, one when it ends. */
class FailureStreakTest {
  private final MutableClock clock = new MutableClock();
  private final List<String> warned = new ArrayList<>();
  private final List<String> informed = new ArrayList<>();
  private final FailureStreak streak = new FailureStreak("engine poll", clock, warned::add, informed::add);
  private final IOException refused = new IOException("Connection refused");

  @Test
  void an_outage_of_two_and_a_half_minutes_at_six_failures_a_second_is_four_lines() {
    for (int tick = 0; tick < 900; tick++) { // 150 s, a failure every 1/6 s
      streak.failed(refused);
      clock.advance(Duration.ofMillis(1000 / 6 + 1));
    }
    streak.succeeded();
    streak.succeeded();

    assertThat(warned).containsExactly(
        "engine poll failed: java.io.IOException: Connection refused",
        "engine poll still failing after 60 s (360 more failures since the last report):"
            + " java.io.IOException: Connection refused",
        "engine poll still failing after 120 s (360 more failures since the last report):"
            + " java.io.IOException: Connection refused");
    assertThat(informed).containsExactly("engine poll works again after 150 s (900 failures)");
  }

  @Test
  void successes_without_a_failure_say_nothing() {
    streak.succeeded();
    streak.succeeded();

    assertThat(warned).isEmpty();
    assertThat(informed).isEmpty();
  }

  @Test
  void a_failure_after_a_recovery_starts_a_new_streak_reported_at_once() {
    streak.failed(refused);
    clock.advance(Duration.ofSeconds(5));
    streak.succeeded();
    clock.advance(Duration.ofSeconds(1));
    streak.failed(new IOException("Connection reset"));

    assertThat(warned).containsExactly("engine poll failed: java.io.IOException: Connection refused",
        "engine poll failed: java.io.IOException: Connection reset");
    assertThat(informed).containsExactly("engine poll works again after 5 s (1 failure)");
  }
}
