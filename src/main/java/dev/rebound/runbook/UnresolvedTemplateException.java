package dev.rebound.runbook;

import dev.rebound.error.ValidationException;
import java.util.List;

/** A template could not be rendered (unresolved, or a value unsafe where it stands); the message names it and where. */
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
