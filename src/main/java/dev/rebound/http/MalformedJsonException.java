package dev.rebound.http;

import dev.rebound.error.ValidationException;
import java.util.List;

/** The request body is not the JSON the endpoint needs (not JSON at all, or not an object). */
public final class MalformedJsonException extends ValidationException {
  public MalformedJsonException(String problem) {
    super("malformed_json", List.of(problem));
  }
}
