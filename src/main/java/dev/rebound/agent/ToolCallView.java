package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One tool call the model made in a turn, as the API reports it.
 *
 * @param arguments the parsed arguments, or the raw text when they were not valid JSON
 * @param reason why it was refused or failed; empty when it ran
 * @param runId the run it created or concerned, if any
 */
public record ToolCallView(
    String id, String name, JsonNode arguments, ToolStatus status, Optional<String> reason, Optional<String> runId) {

  public ObjectNode toJson() {
    ObjectNode o = AgentJson.object();
    o.put("id", id);
    o.put("name", name);
    o.set("arguments", arguments.deepCopy());
    o.put("status", status.name());
    AgentJson.putOptional(o, "reason", reason);
    AgentJson.putOptional(o, "run_id", runId);
    return o;
  }
}
