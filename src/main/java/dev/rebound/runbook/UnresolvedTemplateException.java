package dev.rebound.runbook;

import dev.rebound.error.ValidationException;
import java.util.List;

/** A template reference could not be resolved at render time; the message names it and where. */
public final class UnresolvedTemplateException extends ValidationException {
  private final String reference;

  public UnresolvedTemplateException(String reference, String message) {
    super("unresolved_template", List.of(message));
    this.reference = reference;
  }

  /** The template text as written, e.g. {@code {{params.snapshot_id}}}. */
  public String reference() {
    return reference;
  }
}
