package dev.rebound.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.app.RunbookStatus;
import dev.rebound.db.RunbookApproval;
import dev.rebound.runbook.LintFinding;
import dev.rebound.runbook.ParamSpec;
import dev.rebound.runbook.Risk;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import dev.rebound.yaml.YamlProblem;
import java.util.Comparator;
import java.util.List;

/**
 * The JSON shapes of runbooks in the API, written field by field (they are a contract for the
 * console, Slack and scripts, so renaming a Java component must not rename a field).
 */
final class RunbookJson {
  private RunbookJson() {}

  /** One entry of {@code GET /api/runbooks}. */
  static ObjectNode summary(Runbook runbook, RunbookStatus status) {
    ObjectNode out = header(runbook);
    out.put("summary", runbook.summary());
    strings(out.putArray("assets"), runbook.assets());
    strings(out.putArray("symptoms"), runbook.symptoms());
    out.put("step_count", runbook.steps().size());
    out.put("highest_risk", highestRisk(runbook).label());
    out.set("status", status(status));
    return out;
  }

  /** {@code GET /api/runbooks/{id}}: the parsed file, its parameters, lint findings and status. */
  static ObjectNode detail(Runbook runbook, RunbookStatus status, List<LintFinding> findings) {
    ObjectNode out = header(runbook);
    out.put("file", runbook.file());
    out.put("highest_risk", highestRisk(runbook).label());
    out.set("status", status(status));
    out.set("params", params(runbook.params()));
    out.set("lint", lint(findings));
    out.set("runbook", runbook.tree());
    return out;
  }

  /**
   * Whether the runbook as it is on disk may be started. Every approval of this version is
   * listed, also those of an earlier content of the file ({@code matches_current_content}
   * false): they explain {@code changed_since_approval} but approve nothing.
   */
  static ObjectNode status(RunbookStatus status) {
    ObjectNode out = ApiJson.object();
    out.put("approved", status.approved());
    out.put("changed_since_approval", status.changedSinceApproval());
    out.put("active", status.active());
    out.put("environment", status.environment());
    out.put("startable", status.startable());
    out.put("description", status.describe());
    ArrayNode approvals = out.putArray("approvals");
    for (RunbookApproval a : status.approvals()) {
      ObjectNode approval = approvals.addObject();
      approval.put("approved_by", a.approvedBy());
      approval.put("approved_at", a.approvedAt().toInstant().toString());
      approval.put("content_hash", a.contentHash());
      approval.put("matches_current_content", a.contentHash().equals(status.contentHash()));
      a.comment().ifPresentOrElse(c -> approval.put("comment", c), () -> approval.putNull("comment"));
    }
    return out;
  }

  static Risk highestRisk(Runbook runbook) {
    // The schema requires at least one step, so there always is a maximum.
    return runbook.steps().stream().map(Step::risk).max(Comparator.naturalOrder()).orElse(Risk.LOW);
  }

  private static ObjectNode header(Runbook runbook) {
    ObjectNode out = ApiJson.object();
    out.put("id", runbook.id());
    out.put("version", runbook.version());
    out.put("title", runbook.title());
    out.put("author", runbook.author());
    out.put("content_hash", runbook.contentHash());
    return out;
  }

  private static ArrayNode params(List<ParamSpec> specs) {
    ArrayNode out = ApiJson.array();
    for (ParamSpec spec : specs) {
      ObjectNode param = out.addObject();
      param.put("name", spec.name());
      param.put("type", spec.type());
      spec.description().ifPresentOrElse(d -> param.put("description", d), () -> param.putNull("description"));
      param.put("required", spec.required());
      spec.defaultValue().ifPresentOrElse(d -> param.set("default", d), () -> param.putNull("default"));
      param.set("schema", spec.schema());
    }
    return out;
  }

  /** Errors and warnings as lint prints them ({@code file:line:col: message}) and structured. */
  private static ObjectNode lint(List<LintFinding> findings) {
    ObjectNode out = ApiJson.object();
    ArrayNode errors = out.putArray("errors");
    ArrayNode warnings = out.putArray("warnings");
    ArrayNode structured = out.putArray("findings");
    for (LintFinding finding : findings) {
      (finding.isError() ? errors : warnings).add(finding.toString());
      YamlProblem p = finding.problem();
      ObjectNode f = structured.addObject();
      f.put("severity", finding.isError() ? "error" : "warning");
      f.put("file", p.file());
      f.put("line", p.position().line());
      f.put("column", p.position().column());
      f.put("message", p.message());
    }
    out.put("clean", errors.isEmpty());
    return out;
  }

  private static void strings(ArrayNode into, List<String> values) {
    values.forEach(into::add);
  }
}
