package dev.rebound.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesEachUnit() {
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
    assertThat(Durations.parse("2h")).contains(Duration.ofHours(2));
    assertThat(Durations.parse("1d")).contains(Duration.ofDays(1));
  }

  @Test
  void rejectsCompoundMissingOrUnknownUnits() {
    assertThat(Durations.parse("1h30m")).isEmpty();
    assertThat(Durations.parse("15")).isEmpty();
    assertThat(Durations.parse("5 min")).isEmpty();
    assertThat(Durations.parse("-5m")).isEmpty();
    assertThat(Durations.parse("1.5h")).isEmpty();
    assertThat(Durations.parse(null)).isEmpty();
  }

  @Test
  void formatsWithTheLargestExactUnit() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(Durations.format(Duration.ofHours(48))).isEqualTo("2d");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
