package dev.rebound.retrieval;

import java.util.Objects;

/** A headed part of a document (a markdown section, a runbook step); {@code heading} may be empty. */
public record Section(String heading, String text) {
  public Section {
    heading = Objects.requireNonNullElse(heading, "").strip();
    text = Objects.requireNonNullElse(text, "").strip();
  }
}
