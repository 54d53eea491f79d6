package dev.rebound.runbook;

import dev.rebound.error.ValidationException;
import java.util.List;

/** A duration string is not of the form {@code 500ms}, {@code 30s}, {@code 5m} or {@code 2h}. */
public final class InvalidDurationException extends ValidationException {
  public InvalidDurationException(String message) {
    super("invalid_duration", List.of(message));
  }
}
