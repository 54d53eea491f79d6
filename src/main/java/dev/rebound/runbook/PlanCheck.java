package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A check as it will run, rendered (secrets masked), with a one-line summary. */
public record PlanCheck(String kind, Optional<String> name, JsonNode rendered, String summary) {
  public PlanCheck {
    rendered = rendered.deepCopy();
  }

  @Override
  public JsonNode rendered() {
    return rendered.deepCopy();
  }
}
