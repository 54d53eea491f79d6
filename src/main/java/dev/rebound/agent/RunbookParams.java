package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.runbook.ParamSpec;
import dev.rebound.runbook.Runbook;
import java.util.List;
import java.util.Set;

/**
 * A runbook's parameter schemas as tool arguments: the keywords OpenAI's strict mode accepts are
 * kept as schema (type, enum, pattern, bounds), the rest (defaults, lengths) go into the
 * description. Every parameter is listed as required; one with a default also accepts null,
 * which {@code ParamBinder.bindJson} treats as "not given". What the model sends is checked
 * against the runbook's full schemas by {@code ParamBinder}, not against this rendering.
 */
final class RunbookParams {
  private static final Set<String> KEPT = Set.of("enum", "pattern", "minimum", "maximum", "exclusiveMinimum",
      "exclusiveMaximum", "format");

  private RunbookParams() {}

  static ObjectNode offered(Runbook runbook) {
    ObjectNode properties = AgentJson.object();
    for (ParamSpec p : runbook.params()) {
      properties.set(p.name(), offered(p));
    }
    return properties;
  }

  static List<String> names(Runbook runbook) {
    return runbook.params().stream().map(ParamSpec::name).toList();
  }

  private static ObjectNode offered(ParamSpec p) {
    JsonNode full = p.schema();
    ObjectNode s = AgentJson.object();
    if (p.required()) {
      s.put("type", p.type());
    } else {
      s.set("type", AgentJson.strings(List.of(p.type(), "null")));
    }
    StringBuilder description = new StringBuilder(p.description().orElse(p.name()).strip());
    p.defaultValue().ifPresent(d -> description.append(" Default ").append(d).append(" (send null to use it)."));
    full.properties().forEach(e -> {
      String k = e.getKey();
      if (KEPT.contains(k)) {
        s.set(k, e.getValue().deepCopy());
      } else if (!k.equals("type") && !k.equals("description") && !k.equals("default")) {
        description.append(' ').append(k).append(": ").append(e.getValue()).append('.');
      }
    });
    s.put("description", description.toString());
    return s;
  }
}
