package dev.rebound.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The trend of recovery times and the runbook flags, from stored drill records. */
class DrillTrendTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  @Test
  void theNewestRecoveryAgainstTheMeanOfTheOnesBefore() {
    assertThat(DrillTrend.of(List.of(passed(60_000, 1), passed(100_000, 2), passed(100_000, 3))).direction())
        .isEqualTo("improving");
    assertThat(DrillTrend.of(List.of(passed(150_000, 1), passed(100_000, 2))).direction()).isEqualTo("worsening");
    assertThat(DrillTrend.of(List.of(passed(104_000, 1), passed(100_000, 2))).direction()).isEqualTo("steady");
    assertThat(DrillTrend.of(List.of(passed(104_000, 1))).direction()).isEqualTo("not enough drills");
  }

  @Test
  void failedDrillsHaveNoRecoveryTimeAndDoNotCount() {
    DrillTrend trend = DrillTrend.of(List.of(failed(1), passed(50_000, 2), passed(100_000, 3)));
    assertThat(trend.recoveryMs()).containsExactly(50_000L, 100_000L);
    assertThat(trend.direction()).isEqualTo("improving");
  }

  @Test
  void aRunbookIsFlaggedWhenItsLastDrillFailedIsTooOldOrNeverHappened() {
    DrillFlags flags = new DrillFlags(null, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(flags.flag("r", Optional.of(passed(1000, 2))).flagged()).isFalse();
    DrillFlag old = flags.flag("r", Optional.of(passed(1000, 31)));
    assertThat(old.flagged()).isTrue();
    assertThat(old.reason()).isEqualTo("last drill is 31 days old (drills.max_age is 30 days)");
    DrillFlag bad = flags.flag("r", Optional.of(failed(1)));
    assertThat(bad.flagged()).isTrue();
    assertThat(bad.reason()).isEqualTo("last drill failed: step load-primary failed");
    assertThat(bad.toJson().path("last_status").asText()).isEqualTo("failed");
    assertThat(flags.flag("r", Optional.empty()).reason()).isEqualTo("never drilled");
  }

  @Test
  void theFlagInAFewWordsForSlackAndTheConsole() {
    DrillFlags flags = new DrillFlags(null, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(flags.flag("r", Optional.of(passed(1000, 2))).summary(NOW)).isEmpty();
    assertThat(flags.flag("r", Optional.of(passed(1000, 45))).summary(NOW)).contains("not drilled in 45 days");
    assertThat(flags.flag("r", Optional.of(failed(3))).summary(NOW)).contains("last drill failed 3 days ago");
    assertThat(flags.flag("r", Optional.of(failed(1))).summary(NOW)).contains("last drill failed yesterday");
    assertThat(flags.flag("r", Optional.empty()).summary(NOW)).contains("never drilled");
  }

  private static DrillRecord passed(long recoveryMs, int daysAgo) {
    Instant at = NOW.minus(Duration.ofDays(daysAgo));
    return new DrillRecord("d" + daysAgo, "s", "r", List.of("a"), "passed", at, Optional.of(at),
        Optional.of(recoveryMs), Optional.of(true), Optional.empty(), DrillReport.JSON.createObjectNode());
  }

  private static DrillRecord failed(int daysAgo) {
    Instant at = NOW.minus(Duration.ofDays(daysAgo));
    return new DrillRecord("f" + daysAgo, "s", "r", List.of("a"), "failed", at, Optional.of(at), Optional.empty(),
        Optional.empty(), Optional.of("step load-primary failed"), DrillReport.JSON.createObjectNode());
  }
}
