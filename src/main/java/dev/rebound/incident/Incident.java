package dev.rebound.incident;

import dev.rebound.digest.Sha256;
import dev.rebound.retrieval.DocKind;
import dev.rebound.retrieval.Document;
import dev.rebound.retrieval.Markdown;
import dev.rebound.retrieval.Section;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A past (or current) incident. {@code body} is the postmortem's markdown (Summary, Timeline,
 * Root cause, Resolution, Follow-ups). {@code file} is the markdown file it was imported from,
 * empty for incidents reported through the API.
 */
public record Incident(
    String id,
    String title,
    Instant occurredAt,
    Severity severity,
    IncidentStatus status,
    List<String> assets,
    List<String> symptoms,
    Optional<String> detectedBy,
    Optional<Duration> duration,
    String rootCause,
    String resolution,
    List<RunbookRef> runbooksUsed,
    String body,
    Optional<String> file) {

  /** The longest title an incident may have (Slack and alert intake cut theirs to it). */
  public static final int MAX_TITLE = 200;

  public Incident {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(occurredAt, "occurredAt");
    assets = List.copyOf(assets);
    symptoms = List.copyOf(symptoms);
    runbooksUsed = List.copyOf(runbooksUsed);
    rootCause = Objects.requireNonNullElse(rootCause, "");
    resolution = Objects.requireNonNullElse(resolution, "");
    body = Objects.requireNonNullElse(body, "");
  }

  public String source() {
    return file.isPresent() ? "file" : "api";
  }

  /** sha256 of every field, so the sync can tell a changed file from an unchanged one. */
  public String contentHash() {
    String canonical = String.join("\u0000", id, title, occurredAt.toString(), severity.wireName(), status.wireName(),
        String.join("\u0001", assets), String.join("\u0001", symptoms), detectedBy.orElse(""),
        duration.map(Duration::toString).orElse(""), rootCause, resolution,
        String.join("\u0001", runbooksUsed.stream().map(RunbookRef::toString).toList()), body, file.orElse(""));
    return Sha256.hex(canonical);
  }

  /**
   * The incident as a retrieval document: symptoms, assets, root cause and resolution are the
   * keywords (weight B, and the overview chunk that similar-incident search compares), the
   * postmortem body the sections.
   */
  public Document document() {
    StringBuilder keywords = new StringBuilder();
    if (!symptoms.isEmpty()) {
      keywords.append("Symptoms: ").append(String.join(", ", symptoms)).append(".\n");
    }
    if (!assets.isEmpty()) {
      keywords.append("Assets: ").append(String.join(", ", assets)).append(".\n");
    }
    if (!rootCause.isBlank()) {
      keywords.append("Root cause: ").append(rootCause).append('\n');
    }
    if (!resolution.isBlank()) {
      keywords.append("Resolution: ").append(resolution).append('\n');
    }
    List<Section> sections = new ArrayList<>(Markdown.parse(body).sections());
    return new Document(DocKind.INCIDENT, id, title, keywords.toString(), sections, file.orElse("api"));
  }
}
