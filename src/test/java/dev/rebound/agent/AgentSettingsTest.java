package dev.rebound.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.config.ConfigException;
import dev.rebound.config.ModelSettings;
import dev.rebound.config.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {
  private static final ModelSettings MODEL = new ModelSettings(Optional.of("http://llm:8000/v1/"),
      Optional.of(Secret.of("k")), Optional.of("m"));

  @Test
  void a_model_needs_a_base_url_and_a_name() {
    assertThat(AgentSettings.defaults(MODEL, Path.of("p")).endpoint()).hasValueSatisfying(e -> {
      assertThat(e.baseUrl()).isEqualTo("http://llm:8000/v1");
      assertThat(e.toString()).doesNotContain("k]");
    });
    assertThat(AgentSettings.defaults(new ModelSettings(Optional.of("http://x/v1"), Optional.empty(), Optional.empty()),
        Path.of("p")).modelConfigured()).isFalse();
  }

  @Test
  void defaults_are_explicit_and_the_client_does_not_retry_on_its_own() {
    AgentSettings s = AgentSettings.defaults(MODEL, Path.of("p"));
    assertThat(s.clientRetries()).isZero();
    assertThat(s.loopRetries()).isEqualTo(1);
    assertThat(s.strictTools()).isTrue();
  }

  @Test
  void reads_its_variables_and_reports_every_bad_one() {
    AgentSettings s = AgentSettings.fromEnvironment(Map.of("REBOUND_MODEL_TIMEOUT", "90s",
        "REBOUND_AGENT_MAX_ITERATIONS", "3", "REBOUND_MODEL_STRICT_TOOLS", "false", "REBOUND_MODEL_MAX_RETRIES", "2"),
        MODEL, Path.of("p"));
    assertThat(s.modelTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.maxToolIterations()).isEqualTo(3);
    assertThat(s.strictTools()).isFalse();
    assertThat(s.clientRetries()).isEqualTo(2);
    assertThatThrownBy(() -> AgentSettings.fromEnvironment(Map.of("REBOUND_MODEL_TIMEOUT", "soon",
        "REBOUND_AGENT_TOKEN_BUDGET", "0"), MODEL, Path.of("p")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2));
  }
}
