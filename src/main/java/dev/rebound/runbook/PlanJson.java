package dev.rebound.runbook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The plan's JSON shape, written out field by field: it is an API contract (HTTP, CLI
 * {@code --json}), so renaming a Java component must not silently change it.
 */
final class PlanJson {
  private PlanJson() {}

  static ObjectNode of(Plan plan) {
    ObjectNode out = Json.NODES.objectNode();
    out.put("runbook_id", plan.runbookId());
    out.put("version", plan.version());
    out.put("title", plan.title());
    out.put("content_hash", plan.contentHash());
    out.put("dry_run", true);
    ObjectNode params = out.putObject("params");
    plan.params().forEach(params::set);
    ObjectNode choices = out.putObject("param_choices");
    plan.choices().forEach((name, c) -> choices.putObject(name).put("datasource", c.datasource()).put("sql", c.sql()));
    out.set("preconditions", checks(plan.preconditions()));
    ArrayNode steps = out.putArray("steps");
    plan.steps().forEach(s -> steps.add(step(s)));
    out.set("invariants", checks(plan.invariants()));
    out.set("validation", checks(plan.validation()));
    return out;
  }

  private static ObjectNode step(PlanStep step) {
    ObjectNode out = Json.NODES.objectNode();
    out.put("number", step.number());
    out.put("id", step.id());
    out.put("title", step.title());
    step.description().ifPresentOrElse(d -> out.put("description", d), () -> out.putNull("description"));
    out.put("risk", step.risk().label());
    out.put("mutating", step.mutating());
    out.set("action", step.action());
    out.put("action_summary", step.actionSummary());
    out.set("verify", checks(step.verify()));
    if (step.rollback().isPresent()) {
      out.set("rollback", step.rollback().get());
      out.put("rollback_summary", step.rollbackSummary().orElse(""));
    } else if (step.irreversible()) {
      out.put("rollback", "irreversible");
      out.putNull("rollback_summary");
    } else {
      out.putNull("rollback");
      out.putNull("rollback_summary");
    }
    out.put("irreversible", step.irreversible());
    out.put("idempotent", step.idempotent());
    out.put("timeout", Durations.format(step.timeout()));
    out.put("timeout_ms", step.timeout().toMillis());
    ObjectNode retries = out.putObject("retries");
    retries.put("max", step.retries().max());
    retries.put("backoff", Durations.format(step.retries().backoff()));
    ArrayNode targets = out.putArray("targets");
    step.targets().forEach(targets::add);
    ObjectNode approval = out.putObject("approval");
    approval.put("approvals", step.approval().approvals());
    ArrayNode roles = approval.putArray("roles");
    step.approval().roles().forEach(roles::add);
    approval.put("distinct_from_requester", step.approval().distinctFromRequester());
    return out;
  }

  private static ArrayNode checks(List<PlanCheck> checks) {
    ArrayNode out = Json.NODES.arrayNode();
    for (PlanCheck check : checks) {
      ObjectNode c = out.addObject();
      c.put("check", check.kind());
      check.name().ifPresentOrElse(n -> c.put("name", n), () -> c.putNull("name"));
      c.put("summary", check.summary());
      c.set("rendered", check.rendered());
    }
    return out;
  }
}
