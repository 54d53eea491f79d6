package dev.rebound.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.config.ReboundConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSettingsTest {
  @TempDir Path dir;

  @Test
  void a_port_out_of_range_names_the_variable_as_one_that_is_not_a_number_does() {
    // The out-of-range one said only "port must be 0..65535, got 99999", naming no variable.
    for (String bad : new String[] {"99999", "-1", "80a"}) {
      assertThatThrownBy(() -> settings(Map.of("REBOUND_DEMO_PORT", bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("REBOUND_DEMO_PORT: not a port number (0-65535): " + bad);
    }
  }

  @Test
  void a_port_in_range_is_taken() {
    assertThat(settings(Map.of("REBOUND_DEMO_PORT", " 18090 ")).port()).isEqualTo(18090);
  }

  private DemoSettings settings(Map<String, String> env) {
    return DemoSettings.fromEnvironment(env, ReboundConfig.from(env), dir);
  }
}
