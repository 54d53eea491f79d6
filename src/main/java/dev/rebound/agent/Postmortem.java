package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A postmortem draft: {@code draft} holds the facts (built by code from the audit log, the runs
 * and the inventory); {@code narrative} is the model's prose around them, when a model wrote one
 * ({@code mode} {@code model}), else empty ({@code structured}); {@code degraded} says why a
 * configured model did not. {@link #markdown()} renders both for people.
 */
public record Postmortem(String incidentId, String mode, ObjectNode draft, Optional<String> narrative,
    Optional<ChatReply.Degraded> degraded) {

  public static final String MODEL = "model";
  public static final String STRUCTURED = "structured";

  public Postmortem {
    draft = draft.deepCopy();
  }

  public ObjectNode toJson() {
    ObjectNode o = AgentJson.object();
    o.put("incident_id", incidentId);
    o.put("mode", mode);
    AgentJson.putOptional(o, "narrative", narrative);
    degraded.ifPresentOrElse(d -> o.putObject("degraded").put("code", d.code()).put("message", d.message()),
        () -> o.putNull("degraded"));
    o.setAll(draft.deepCopy());
    o.put("markdown", markdown());
    return o;
  }

  public String markdown() {
    JsonNode i = draft.path("incident");
    StringBuilder md = new StringBuilder();
    md.append("# Postmortem draft: ").append(i.path("id").asText()).append(" — ").append(i.path("title").asText())
        .append("\n\n");
    md.append("Severity ").append(i.path("severity").asText()).append(", status ").append(i.path("status").asText())
        .append(". Assets: ").append(join(i.path("assets"))).append(".\n\n");
    narrative.ifPresent(n -> md.append("## Narrative (written by the model from the facts below)\n\n").append(n.strip())
        .append("\n\n"));
    JsonNode det = draft.path("detection");
    md.append("## Detection\n\n- occurred at ").append(det.path("occurred_at").asText())
        .append("\n- detected by ").append(det.path("detected_by").asText("unknown"));
    if (det.has("first_recorded_at")) {
      md.append("\n- first recorded in Rebound at ").append(det.path("first_recorded_at").asText()).append(" by ")
          .append(det.path("first_recorded_by").asText()).append(" (").append(det.path("first_action").asText())
          .append(")");
    }
    md.append("\n\n## Root cause\n\n").append(i.path("root_cause").asText("").isBlank() ? "_not recorded yet_"
        : i.path("root_cause").asText()).append("\n\n## Resolution\n\n")
        .append(i.path("resolution").asText("").isBlank() ? "_not recorded yet_" : i.path("resolution").asText())
        .append("\n\n## Runs and steps\n\n");
    if (draft.path("runs").isEmpty()) {
      md.append("_No run of a runbook is recorded._\n");
    }
    for (JsonNode r : draft.path("runs")) {
      md.append("### ").append(r.path("runbook").asText()).append(" — run ").append(r.path("run_id").asText())
          .append(" (").append(r.path("state").asText()).append(", requested by ").append(r.path("requested_by").asText())
          .append(")\n\n");
      for (JsonNode s : r.path("steps")) {
        md.append("- **").append(s.path("id").asText()).append("** ").append(s.path("title").asText()).append(" — ")
            .append(s.path("state").asText()).append(", risk ").append(s.path("risk").asText());
        if (!s.path("approved_by").isEmpty()) {
          md.append(", approved by ");
          int n = 0;
          for (JsonNode a : s.path("approved_by")) {
            md.append(n++ > 0 ? ", " : "").append(a.path("approver").asText()).append(" at ")
                .append(a.path("at").asText());
          }
        }
        md.append('\n');
        for (JsonNode c : s.path("checks")) {
          md.append("  - check ").append(c.path("passed").asBoolean() ? "passed" : "FAILED").append(": ")
              .append(c.path("name").asText()).append(" (observed ").append(c.path("observed").asText()).append(")\n");
        }
      }
      for (JsonNode c : r.path("checks")) {
        md.append("- ").append(c.path("phase").asText()).append(" check ")
            .append(c.path("passed").asBoolean() ? "passed" : "FAILED").append(": ").append(c.path("name").asText())
            .append('\n');
      }
      md.append('\n');
    }
    md.append("## Time to recover against RTO\n\n");
    for (JsonNode a : draft.path("recovery")) {
      md.append("- ").append(a.path("asset").asText()).append(": ");
      if (a.path("time_to_recover").isNull()) {
        md.append("not recovered through a run");
      } else {
        md.append(a.path("time_to_recover").asText());
      }
      md.append(" (RTO ").append(a.path("rto").asText("unknown"));
      if (!a.path("within_rto").isNull() && a.has("within_rto")) {
        md.append(a.path("within_rto").asBoolean() ? ", met" : ", MISSED");
      }
      md.append(")\n");
    }
    md.append("\n## Timeline\n\n");
    for (JsonNode e : draft.path("timeline")) {
      md.append("- ").append(e.path("at").asText()).append(" ").append(e.path("summary").asText()).append('\n');
    }
    md.append("\n## Open questions\n\n");
    for (JsonNode q : draft.path("open_questions")) {
      md.append("- ").append(q.asText()).append('\n');
    }
    return md.toString();
  }

  private static String join(JsonNode array) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode n : array) {
      sb.append(sb.length() > 0 ? ", " : "").append(n.asText());
    }
    return sb.length() == 0 ? "none recorded" : sb.toString();
  }
}
