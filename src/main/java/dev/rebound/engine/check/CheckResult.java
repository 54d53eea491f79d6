package dev.rebound.engine.check;

import dev.rebound.audit.Masker;
import java.util.Objects;

/**
 * The outcome of one check, ready to show and store: what was observed, what was expected (both
 * as short human text, e.g. {@code observed "psi 0.0312"}, {@code expected "psi at most 0.2"}),
 * and a message saying why it passed or failed. Results leaving {@link CheckRunners} are masked.
 *
 * @param kind the check's kind ({@code http}, {@code sql}…)
 * @param name its {@code name:} or a description built from it
 */
public record CheckResult(
    String kind, String name, boolean passed, String observed, String expected, String message, long durationMs) {

  public CheckResult {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    observed = observed == null ? "" : observed;
    expected = expected == null ? "" : expected;
    message = message == null ? "" : message;
  }

  static CheckResult pass(String kind, String name, String observed, String expected, String message, long ms) {
    return new CheckResult(kind, name, true, observed, expected, message, ms);
  }

  static CheckResult fail(String kind, String name, String observed, String expected, String message, long ms) {
    return new CheckResult(kind, name, false, observed, expected, message, ms);
  }

  /** A copy with every text masked. */
  public CheckResult masked(Masker masker) {
    return new CheckResult(kind, masker.mask(name), passed, masker.mask(observed), masker.mask(expected),
        masker.mask(message), durationMs);
  }
}
