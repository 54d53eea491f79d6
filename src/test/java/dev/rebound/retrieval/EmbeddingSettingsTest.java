package dev.rebound.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.config.ModelSettings;
import dev.rebound.error.ValidationException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddingSettingsTest {
  private static final ModelSettings NO_ENDPOINT = new ModelSettings(Optional.empty(), Optional.empty(), Optional.empty());

  private static String model(Map<String, String> env) {
    return EmbeddingSettings.from(env, NO_ENDPOINT).create().model();
  }

  @Test
  void the_in_process_models_need_no_endpoint_and_are_recorded_under_their_own_names() {
    assertThat(model(Map.of())).as("the default: full precision").isEqualTo("all-minilm-l6-v2");
    assertThat(model(Map.of(EmbeddingSettings.VARIABLE, "all-minilm-l6-v2-q"))).isEqualTo("all-minilm-l6-v2-q");
    assertThat(model(Map.of(EmbeddingSettings.VARIABLE, "all-minilm-l6-v2"))).isEqualTo("all-minilm-l6-v2");
    assertThat(EmbeddingSettings.inProcess().create().model()).isEqualTo("all-minilm-l6-v2");
  }

  @Test
  void a_remote_model_without_an_endpoint_is_refused() {
    assertThatThrownBy(() -> model(Map.of(EmbeddingSettings.VARIABLE, "text-embedding-3-small")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("REBOUND_OPENAI_BASE_URL");
  }
}
