package dev.rebound.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The plan as the CLI prints it, for an engineer reading it at 3 a.m.: numbered steps, risk
 * and approvals first, then the exact action, its checks and its undo, one line each.
 */
final class PlanText {
  private static final String INDENT = "  ";

  private PlanText() {}

  static String of(Plan plan) {
    StringBuilder out = new StringBuilder();
    out.append("PLAN ").append(plan.runbookId()).append(" v").append(plan.version())
        .append(" (dry run: nothing is executed)\n");
    out.append(plan.title()).append('\n');
    out.append("content sha256: ").append(plan.contentHash()).append('\n');
    out.append("params: ").append(params(plan)).append('\n');
    plan.choices().forEach((name, c) -> out.append("candidates for ").append(name).append(" (read-only, once approved, on ")
        .append(c.datasource()).append("): ").append(c.sql().strip()).append('\n'));
    checks(out, "Preconditions (must pass before step 1)", plan.preconditions());
    int total = plan.steps().size();
    for (PlanStep step : plan.steps()) {
      step(out, step, total);
    }
    checks(out, "Invariants (after every step and after a rollback)", plan.invariants());
    checks(out, "Validation (must pass for the run to count as recovered)", plan.validation());
    return out.toString();
  }

  private static void step(StringBuilder out, PlanStep step, int total) {
    out.append('\n').append("Step ").append(step.number()).append('/').append(total).append("  ")
        .append(step.id()).append(": ").append(step.title()).append('\n');
    out.append(INDENT).append("risk: ").append(step.risk().label().toUpperCase(Locale.ROOT))
        .append(" | ").append(step.mutating() ? "changes state" : "read-only")
        .append(" | approvals: ").append(approval(step.approval())).append('\n');
    out.append(INDENT).append("timeout ").append(Durations.format(step.timeout()))
        .append(" | ").append(retries(step.retries()))
        .append(" | ").append(step.idempotent() ? "idempotent" : "not idempotent").append('\n');
    out.append(INDENT).append("targets: ").append(String.join(", ", step.targets())).append('\n');
    step.description().ifPresent(d -> out.append(INDENT).append("why:      ").append(Summaries.oneLine(d)).append('\n'));
    out.append(INDENT).append("action:   ").append(step.actionSummary()).append('\n');
    List<String> verify = step.verify().stream().map(PlanCheck::summary).toList();
    for (int i = 0; i < verify.size(); i++) {
      out.append(INDENT).append(i == 0 ? "verify:   " : "          ").append(verify.get(i)).append('\n');
    }
    out.append(INDENT).append("rollback: ").append(rollback(step)).append('\n');
  }

  private static String rollback(PlanStep step) {
    if (step.rollbackSummary().isPresent()) {
      return step.rollbackSummary().get();
    }
    return step.irreversible() ? "none - IRREVERSIBLE (reversible: false)" : "not needed (changes nothing)";
  }

  static String approval(ApprovalPolicy.Requirement r) {
    String roles = roles(r.roles());
    String who = r.approvals() == 1 ? "1" : r.approvals() + " distinct people";
    return who + (r.distinctFromRequester() ? ", not the requester" : "") + " (" + roles + ")";
  }

  private static String roles(List<String> roles) {
    if (roles.size() == 1) {
      return roles.get(0);
    }
    return String.join(", ", roles.subList(0, roles.size() - 1)) + " or " + roles.get(roles.size() - 1);
  }

  private static String retries(Retries retries) {
    return retries.max() == 0
        ? "no retries"
        : "retries: " + retries.max() + ", backoff " + Durations.format(retries.backoff());
  }

  private static String params(Plan plan) {
    if (plan.params().isEmpty()) {
      return "none";
    }
    return plan.params().entrySet().stream()
        .map(e -> e.getKey() + "=" + Json.compact(e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static void checks(StringBuilder out, String heading, List<PlanCheck> checks) {
    if (checks.isEmpty()) {
      return;
    }
    out.append('\n').append(heading).append('\n');
    List<String> lines = new ArrayList<>();
    checks.forEach(c -> lines.add(c.summary()));
    lines.forEach(l -> out.append(INDENT).append("- ").append(l).append('\n'));
  }
}
