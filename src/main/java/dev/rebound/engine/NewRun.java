package dev.rebound.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to start a run: which runbook (as its file is now), typed parameters (validated
 * against the runbook's schemas), an optional incident, and whether it is a drill.
 */
public record NewRun(String runbookId, JsonNode params, Optional<String> incidentId, RunKind kind) {
  public NewRun {
    Objects.requireNonNull(runbookId, "runbookId");
    incidentId = incidentId == null ? Optional.empty() : incidentId.filter(s -> !s.isBlank());
    Objects.requireNonNull(kind, "kind");
  }

  public static NewRun live(String runbookId, JsonNode params) {
    return new NewRun(runbookId, params, Optional.empty(), RunKind.LIVE);
  }
}
