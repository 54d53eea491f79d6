package dev.rebound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {
  @Test
  void defaults_are_fifteen_minute_approvals_and_a_half_second_poller() {
    EngineSettings s = EngineSettings.fromEnvironment(Map.of());
    assertThat(s.approvalTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.ownerId()).startsWith("engine-").isNotEqualTo(EngineSettings.defaults().ownerId());
  }

  @Test
  void the_environment_overrides_ttl_lease_and_poll_interval() {
    EngineSettings s = EngineSettings.fromEnvironment(Map.of("REBOUND_APPROVAL_TTL", "5m",
        "REBOUND_ENGINE_LEASE", "10s", "REBOUND_ENGINE_POLL_INTERVAL", "250ms"));
    assertThat(s.approvalTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.lease()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void the_shutdown_grace_is_thirty_seconds_unless_set_and_zero_waits_for_nothing() {
    assertThat(EngineSettings.shutdownGrace(Map.of())).isEqualTo(Duration.ofSeconds(30));
    assertThat(EngineSettings.shutdownGrace(Map.of("REBOUND_SHUTDOWN_GRACE", "2m"))).isEqualTo(Duration.ofMinutes(2));
    assertThat(EngineSettings.shutdownGrace(Map.of("REBOUND_SHUTDOWN_GRACE", "0s"))).isZero();
    assertThatThrownBy(() -> EngineSettings.shutdownGrace(Map.of("REBOUND_SHUTDOWN_GRACE", "a while")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("REBOUND_SHUTDOWN_GRACE");
  }

  @Test
  void bad_values_are_named() {
    assertThatThrownBy(() -> EngineSettings.fromEnvironment(Map.of("REBOUND_APPROVAL_TTL", "soon")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("REBOUND_APPROVAL_TTL");
  }

  @Test
  void run_ids_sort_by_time_and_are_recognised() {
    String earlier = RunIds.next(1_700_000_000_000L);
    String later = RunIds.next(1_700_000_000_001L);
    assertThat(earlier.compareTo(later)).isNegative();
    assertThat(RunIds.plausible(earlier)).isTrue();
    assertThat(RunIds.plausible("run_../etc")).isFalse();
  }
}
