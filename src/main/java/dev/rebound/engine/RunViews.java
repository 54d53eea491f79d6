package dev.rebound.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.runbook.ApprovalPolicy;
import dev.rebound.runbook.Risk;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A run as people and clients see it: the run, each step (state, attempt, masked action and its
 * hash, targets, approvals with who, when and expiry, check results, masked output, error, undo),
 * the run's own checks, what is awaited from whom, and what a run that did not recover left in
 * effect ({@link LeftInEffect}). Everything stored is already masked.
 */
final class RunViews {
  private RunViews() {}

  static ObjectNode of(Core core, RunRecord run, List<StepRecord> steps, List<ApprovalRecord> approvals,
      List<CheckRecord> checks, long lastSeq) {
    Instant now = core.now();
    ObjectNode out = RunRows.JSON.createObjectNode();
    out.put("id", run.id()).put("runbook_id", run.runbookId()).put("runbook_version", run.runbookVersion())
        .put("content_hash", run.contentHash());
    out.set("params", core.renderer.masker().mask(run.params()));
    out.put("incident_id", run.incidentId().orElse(null)).put("kind", run.kind().dbName())
        .put("requested_by", run.requestedBy()).put("state", run.state().dbName())
        .put("waiting_for", run.waitingFor().orElse(null)).put("work", run.work().orElse(null))
        .put("error", run.error().orElse(null)).put("created_at", time(run.createdAt()))
        .put("updated_at", time(run.updatedAt())).put("finished_at", run.finishedAt().map(RunViews::time).orElse(null))
        .put("last_seq", lastSeq);
    out.set("awaiting", awaiting(core, run, steps, approvals, now));
    out.set("left_in_effect", LeftInEffect.of(run, steps));
    ArrayNode stepArray = out.putArray("steps");
    for (StepRecord s : steps) {
      stepArray.add(step(s, approvals, checks, now));
    }
    ArrayNode runChecks = out.putArray("checks");
    checks.stream().filter(c -> c.stepId().isEmpty()).forEach(c -> runChecks.add(check(c)));
    return out;
  }

  private static ObjectNode step(StepRecord s, List<ApprovalRecord> approvals, List<CheckRecord> checks,
      Instant now) {
    ObjectNode o = RunRows.JSON.createObjectNode();
    o.put("index", s.idx()).put("id", s.stepId()).put("title", s.title()).put("risk", s.risk())
        .put("state", s.state().dbName()).put("attempt", s.attempt()).put("action_type", s.actionType())
        .put("action_hash", s.actionHash().orElse(null));
    o.set("action", s.actionDisplay().orElse(null));
    s.targets().forEach(o.putArray("targets")::add);
    o.put("idempotent", s.idempotent()).put("reversible", s.reversible()).put("idempotency_key", s.idempotencyKey());
    o.set("output", s.output().orElse(null));
    o.put("summary", s.summary().orElse(null)).put("error", s.error().orElse(null))
        .put("started_at", s.startedAt().map(RunViews::time).orElse(null))
        .put("finished_at", s.finishedAt().map(RunViews::time).orElse(null));
    ObjectNode undo = o.putObject("undo");
    undo.put("state", s.undoState());
    undo.set("action", s.undo().orElse(null));
    undo.set("output", s.undoOutput().orElse(null));
    undo.put("error", s.undoError().orElse(null));
    ArrayNode given = o.putArray("approvals");
    approvals.stream().filter(a -> a.stepId().equals(s.stepId())).forEach(a -> given.add(approval(a, now)));
    ArrayNode results = o.putArray("checks");
    checks.stream().filter(c -> c.stepId().equals(Optional.of(s.stepId()))).forEach(c -> results.add(check(c)));
    return o;
  }

  private static ObjectNode approval(ApprovalRecord a, Instant now) {
    ObjectNode o = RunRows.JSON.createObjectNode();
    o.put("approver", a.approver()).put("role", a.role()).put("attempt", a.attempt())
        .put("action_hash", a.actionHash()).put("created_at", a.createdAt().toString())
        .put("expires_at", a.expiresAt().toString()).put("used_at", a.usedAt().map(Instant::toString).orElse(null))
        .put("voided_at", a.voidedAt().map(Instant::toString).orElse(null))
        .put("void_reason", a.voidReason().orElse(null))
        .put("valid", a.open() && !a.expiredAt(now));
    return o;
  }

  private static ObjectNode check(CheckRecord c) {
    ObjectNode o = RunRows.JSON.createObjectNode();
    o.put("phase", c.phase()).put("step_id", c.stepId().orElse(null)).put("attempt", c.attempt())
        .put("kind", c.result().kind()).put("name", c.result().name()).put("passed", c.result().passed())
        .put("observed", c.result().observed()).put("expected", c.result().expected())
        .put("message", c.result().message()).put("duration_ms", c.result().durationMs()).put("at", time(c.at()));
    return o;
  }

  /** What the run waits for and from whom; null while the engine is working or the run is over. */
  private static ObjectNode awaiting(Core core, RunRecord run, List<StepRecord> steps, List<ApprovalRecord> approvals,
      Instant now) {
    if (run.state().isFinal() || run.work().isPresent()) {
      return null;
    }
    ObjectNode o = RunRows.JSON.createObjectNode();
    Optional<StepRecord> awaiting = steps.stream().filter(s -> s.state() == StepState.AWAITING_APPROVAL).findFirst();
    if (awaiting.isPresent()) {
      StepRecord s = awaiting.get();
      ApprovalPolicy.Requirement need = core.policy.requirementFor(Risk.of(s.risk()));
      List<ApprovalRecord> live = approvals.stream().filter(a -> a.stepId().equals(s.stepId())
          && a.attempt() == s.attempt() + 1 && a.open() && !a.expiredAt(now)).toList();
      o.put("what", "approval").put("step_id", s.stepId()).put("attempt", s.attempt() + 1)
          .put("action_hash", s.actionHash().orElse(null));
      o.set("action", s.actionDisplay().orElse(null));
      s.targets().forEach(o.putArray("targets")::add);
      o.put("risk", s.risk()).put("approvals_required", run.kind() == RunKind.DRILL ? 1 : need.approvals());
      need.roles().forEach(o.putArray("roles")::add);
      o.put("distinct_from_requester", need.distinctFromRequester());
      ArrayNode excluded = o.putArray("excluded");
      excluded.add(Actor.AGENT_ID);
      if (run.kind() == RunKind.LIVE) {
        excluded.add(Actor.DRILL_ID);
      }
      if (need.distinctFromRequester()) {
        excluded.add(run.requestedBy());
      }
      ArrayNode by = o.putArray("approved_by");
      live.forEach(a -> by.addObject().put("approver", a.approver()).put("at", a.createdAt().toString())
          .put("expires_at", a.expiresAt().toString()));
      o.put("approvals_so_far", live.stream().map(ApprovalRecord::approver).distinct().count());
      live.stream().map(ApprovalRecord::expiresAt).min(Instant::compareTo)
          .ifPresent(first -> o.put("first_expiry", first.toString()));
      o.put("approval_ttl_seconds", core.settings.approvalTtl().toSeconds());
      return o;
    }
    Optional<StepRecord> failed = steps.stream().filter(s -> s.state() == StepState.FAILED
        && List.of("none", "recorded").contains(s.undoState())).findFirst();
    if (run.state() == RunState.FAILED) {
      o.put("what", "decision").put("about", run.error().orElse("the run failed"));
      o.putArray("options").add("rollback").add("abort");
      o.put("who", "approver or admin");
      return o;
    }
    if (failed.isPresent()) {
      o.put("what", "decision").put("step_id", failed.get().stepId()).put("about", failed.get().error().orElse(""));
      o.putArray("options").add("retry").add("rollback").add("abort");
      o.put("who", "retry: responder or above (then a fresh approval); rollback, abort: approver or admin");
      return o;
    }
    if (run.state() == RunState.PROPOSED && run.waitingFor().isPresent()) {
      o.put("what", "preconditions").put("about", run.waitingFor().get());
      o.putArray("options").add("recheck").add("abort");
      return o;
    }
    return null;
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
