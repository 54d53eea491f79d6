package dev.rebound.error;

/**
 * Root of Rebound's expected failures. Unchecked so that futures and lambdas carry them without
 * wrapping; the {@link #code()} is part of the HTTP contract ({@code {"error": {"code": ...}}}),
 * so subclasses keep theirs stable.
 */
public abstract class ReboundException extends RuntimeException {
  private final String code;

  protected ReboundException(String code, String message) {
    this(code, message, null);
  }

  protected ReboundException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** Stable snake_case error code, e.g. {@code not_found}. */
  public String code() {
    return code;
  }
}
