package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.incident.Incident;
import dev.rebound.incident.IncidentService;
import dev.rebound.incident.RunbookRef;
import dev.rebound.incident.SimilarIncident;
import io.vertx.core.Future;

/** {@code find_similar_incidents}: past incidents like this one, and how they were resolved. */
final class SimilarIncidentsTool implements AgentTool {
  private final IncidentService incidents;

  SimilarIncidentsTool(IncidentService incidents) {
    this.incidents = incidents;
  }

  @Override
  public String name() {
    return "find_similar_incidents";
  }

  @Override
  public String description() {
    return "Read-only. Past incidents most similar to this one (meaning, shared assets, shared symptoms), with the"
        + " reasons, the root cause, the resolution and the runbooks used.";
  }

  @Override
  public ArgSchema schema() {
    return ArgSchema.builder().integer("k", "how many (default 3)", 1, 5, false).build();
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Future<ToolOutcome> call(JsonNode args, TurnContext turn) {
    int k = args.path("k").isIntegralNumber() ? args.get("k").intValue() : 3;
    return incidents.similar(turn.incidentId(), k).map(list -> {
      ObjectNode data = AgentJson.object();
      ArrayNode out = data.putArray("similar");
      for (SimilarIncident s : list) {
        Incident i = s.incident();
        ObjectNode o = out.addObject();
        o.put("id", i.id());
        o.put("title", i.title());
        o.put("score", Math.round(s.score() * 1000) / 1000.0);
        o.set("reasons", AgentJson.strings(s.reasons()));
        o.put("root_cause", DataQuote.quote("incident " + i.id() + " root cause", i.rootCause()));
        o.put("resolution", DataQuote.quote("incident " + i.id() + " resolution", i.resolution()));
        o.set("runbooks_used", AgentJson.strings(i.runbooksUsed().stream().map(RunbookRef::toString).toList()));
      }
      return ToolOutcome.ok(data);
    });
  }
}
