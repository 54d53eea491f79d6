package dev.rebound.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.rebound.audit.Masker;
import java.net.http.HttpTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelFailureTest {
  private final Masker masker = Masker.of(List.of("sk-secret-123"));

  @Test
  void classifies_by_the_http_status_in_the_chain() {
    ModelFailure f = ModelFailure.of(new InternalServerException(new HttpException(503, "down sk-secret-123")), masker);
    assertThat(f.code).isEqualTo("model_unavailable");
    assertThat(f.retriable).isTrue();
    assertThat(f.getMessage()).contains("HTTP 503").contains("***").doesNotContain("sk-secret-123");

    ModelFailure auth = ModelFailure.of(new AuthenticationException(new HttpException(401, "bad key")), masker);
    assertThat(auth.code).isEqualTo("model_unauthorized");
    assertThat(auth.retriable).isFalse();
    assertThat(auth.getMessage()).contains("REBOUND_OPENAI_API_KEY");

    assertThat(ModelFailure.of(new RateLimitException("slow down"), masker).code).isEqualTo("model_rate_limited");
    assertThat(ModelFailure.of(new HttpException(404, "no such model"), masker).getMessage()).contains("/v1");
    assertThat(ModelFailure.of(new HttpException(400, "context too long"), masker).code)
        .isEqualTo("model_rejected_request");
  }

  @Test
  void timeouts_are_not_retried() {
    ModelFailure f = ModelFailure.of(new RuntimeException(new HttpTimeoutException("request timed out")), masker);
    assertThat(f.code).isEqualTo("model_timeout");
    assertThat(f.retriable).isFalse();
  }

  @Test
  void anything_else_is_a_model_error_naming_its_type() {
    ModelFailure f = ModelFailure.of(new IllegalStateException("odd"), masker);
    assertThat(f.code).isEqualTo("model_error");
    assertThat(f.getMessage()).contains("IllegalStateException: odd");
  }
}
