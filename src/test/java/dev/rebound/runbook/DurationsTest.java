package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void parsesEachUnit() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"5 minutes", "1.5s", "", "30", "s", "-1s", "1h30m", " 5s", "PT5S"})
  void rejectsAnythingElseWithAClearMessage(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(InvalidDurationException.class)
        .hasMessage("\"" + text + "\" is not a duration (use a whole number with ms, s, m or h, e.g. 500ms, 30s, 5m, 2h)");
  }

  @Test
  void rejectsDurationsThatOverflow() {
    assertThatThrownBy(() -> Durations.parse("99999999999999999999h"))
        .isInstanceOf(InvalidDurationException.class)
        .hasMessage("duration \"99999999999999999999h\" is too large");
  }

  @Test
  void formatsInTheLargestExactUnit() {
    assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofHours(3))).isEqualTo("3h");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
