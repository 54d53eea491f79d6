package dev.rebound.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.UnauthenticatedException;
import dev.rebound.error.TooManyRequestsException;
import dev.rebound.error.UnavailableException;
import dev.rebound.error.ValidationException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorResponseTest {
  @Test
  void maps_each_exception_type_to_its_status_and_code() {
    assertThat(ErrorResponse.of(new UnauthenticatedException("x"), -1)).extracting("status", "code").containsExactly(401, "unauthenticated");
    assertThat(ErrorResponse.of(new ForbiddenException("x"), -1)).extracting("status", "code").containsExactly(403, "forbidden");
    assertThat(ErrorResponse.of(NotFoundException.of("run", "r1"), -1)).extracting("status", "code", "message")
        .containsExactly(404, "not_found", "run 'r1' not found");
    assertThat(ErrorResponse.of(new ConflictException("x"), -1)).extracting("status", "code").containsExactly(409, "conflict");
    assertThat(ErrorResponse.of(new ValidationException("x"), -1)).extracting("status", "code").containsExactly(400, "invalid_request");
    assertThat(ErrorResponse.of(new TooManyRequestsException("x"), -1)).extracting("status", "code").containsExactly(429, "too_many_requests");
    assertThat(ErrorResponse.of(new UnavailableException("x", null), -1)).extracting("status", "code").containsExactly(503, "unavailable");
    assertThat(ErrorResponse.of(new DecodeException("Failed to decode:oops\n at [Source: secret]"), -1))
        .extracting("status", "code", "message").containsExactly(400, "malformed_json", "request body is not valid JSON: oops");
    assertThat(ErrorResponse.of(new HttpException(413), -1)).extracting("status", "code").containsExactly(413, "payload_too_large");
    assertThat(ErrorResponse.of(null, 405)).extracting("status", "code").containsExactly(405, "method_not_allowed");
  }

  @Test
  void unexpected_failures_are_a_generic_500() {
    ErrorResponse response = ErrorResponse.of(new IllegalStateException("password=hunter2"), -1);

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.toJson().encode()).doesNotContain("hunter2");
  }

  @Test
  void validation_problems_are_listed_when_there_are_several() {
    JsonObject body = ErrorResponse.of(new ValidationException(List.of("a is missing", "b is too long")), -1).toJson();

    assertThat(body.getJsonObject("error").getString("message")).isEqualTo("a is missing (and 1 more)");
    assertThat(body.getJsonObject("error").getJsonArray("problems"))
        .containsExactly("a is missing", "b is too long");
  }
}
