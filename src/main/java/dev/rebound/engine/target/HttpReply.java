package dev.rebound.engine.target;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An HTTP response read within a deadline. {@code body} holds at most the caller's limit;
 * {@code truncated} says the target sent more (the rest was not read).
 */
public record HttpReply(int status, HttpHeaders headers, byte[] body, boolean truncated, Duration elapsed) {
  public HttpReply {
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body as UTF-8 text (invalid bytes replaced). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
