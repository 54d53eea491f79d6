package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.engine.RunbookGate;
import dev.rebound.runbook.ParamSpec;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;
import java.util.List;

/** {@code get_runbook}: a runbook's purpose, parameters, steps and whether it may be started. */
final class RunbookTool implements AgentTool {
  private final List<Runbook> runbooks;
  private final RunbookGate gate;

  /** @param runbooks the catalog as loaded for this menu */
  RunbookTool(List<Runbook> runbooks, RunbookGate gate) {
    this.runbooks = List.copyOf(runbooks);
    this.gate = gate;
  }

  @Override
  public String name() {
    return "get_runbook";
  }

  @Override
  public String description() {
    return "Read-only. A runbook: when to use it (quoted), its version, parameters, steps with their risk, and"
        + " whether this exact version is approved and may be proposed.";
  }

  @Override
  public ArgSchema schema() {
    return ArgSchema.builder()
        .enumeration("runbook_id", "the runbook's id", runbooks.stream().map(Runbook::id).toList(), true)
        .build();
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Future<ToolOutcome> call(JsonNode args, TurnContext turn) {
    String id = args.get("runbook_id").textValue();
    Runbook r = runbooks.stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow();
    return gate.refusal(r).map(refusal -> {
      ObjectNode o = AgentJson.object();
      o.put("id", r.id());
      o.put("version", r.version());
      o.put("title", r.title());
      o.put("summary", DataQuote.quote(r.file(), r.summary()));
      o.set("assets", AgentJson.strings(r.assets()));
      o.put("approved_and_active", refusal.isEmpty());
      refusal.ifPresent(why -> o.put("why_not_startable", why));
      ArrayNode params = o.putArray("params");
      for (ParamSpec p : r.params()) {
        ObjectNode po = params.addObject();
        po.put("name", p.name());
        po.set("schema", p.schema());
        po.put("required", p.required());
      }
      ArrayNode steps = o.putArray("steps");
      for (Step s : r.steps()) {
        ObjectNode so = steps.addObject();
        so.put("id", s.id());
        so.put("title", s.title());
        so.put("risk", s.risk().name().toLowerCase(java.util.Locale.ROOT));
        so.put("changes_something", s.isMutating());
        so.put("action_type", s.action().type());
        s.description().ifPresent(d -> so.put("description", DataQuote.quote(r.file(), d)));
      }
      return ToolOutcome.ok(o);
    });
  }
}
