package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.audit.AuditEntry;
import dev.rebound.audit.AuditFilter;
import dev.rebound.audit.AuditQuery;
import dev.rebound.engine.Actor;
import dev.rebound.engine.Engine;
import dev.rebound.engine.NewRun;
import dev.rebound.engine.RunKind;
import dev.rebound.error.ConflictException;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link RecoveryRuns} over the run {@link Engine}, acting as {@link Actor#agent()} (which the
 * engine never accepts as an approver).
 *
 * <ul>
 *   <li>{@link #propose}: {@code Engine.create} with the incident; the engine checks the runbook
 *       gate and the parameters and stores the run {@code proposed}; it then checks preconditions
 *       (read-only) or makes the first step await approval;
 *   <li>{@link #requestStep}: in this engine a step awaits approval as soon as the run reaches it,
 *       so a request for the step that awaits approval returns it as is (idempotent), and any other
 *       step is refused. The request itself is audited by the agent ({@code tool.completed}).
 *   <li>{@link #activeRun}: the incident's runs are found through their {@code run.created} audit
 *       entries (the engine has no lookup by incident), newest first; the first that is not
 *       finished (succeeded, rolled back, aborted) is the active one.
 * </ul>
 *
 * The allowed next steps are the steps awaiting approval while the run does no work of its own.
 */
public final class EngineRecoveryRuns implements RecoveryRuns {
  private static final int RECENT_RUNS = 20;
  private static final Set<String> FINISHED = Set.of("succeeded", "rolled_back", "aborted");

  private final Engine engine;
  private final AuditQuery audit;

  public EngineRecoveryRuns(Engine engine, AuditQuery audit) {
    this.engine = engine;
    this.audit = audit;
  }

  @Override
  public Future<Optional<RunView>> activeRun(String incidentId) {
    return audit.find(AuditFilter.all().incident(incidentId).actionPrefix("run.created").newestFirst()
            .limit(RECENT_RUNS))
        .compose(entries -> {
          Set<String> ids = new LinkedHashSet<>();
          for (AuditEntry e : entries) {
            e.runId().ifPresent(ids::add);
          }
          return firstActive(new ArrayList<>(ids), 0);
        });
  }

  private Future<Optional<RunView>> firstActive(List<String> ids, int i) {
    if (i >= ids.size()) {
      return Future.succeededFuture(Optional.empty());
    }
    return engine.view(ids.get(i)).compose(view -> {
      RunView run = of(view);
      return run.finished() ? firstActive(ids, i + 1) : Future.succeededFuture(Optional.of(run));
    });
  }

  @Override
  public Future<List<String>> runIds(String incidentId) {
    return audit.find(AuditFilter.all().incident(incidentId).actionPrefix("run.created").oldestFirst()
            .limit(AuditFilter.MAX_LIMIT))
        .map(entries -> entries.stream().flatMap(e -> e.runId().stream()).distinct().toList());
  }

  @Override
  public Future<JsonNode> detail(String runId) {
    return engine.view(runId).map(v -> v);
  }

  @Override
  public Future<RunView> propose(String incidentId, String runbookId, JsonNode params, String caller) {
    return engine.create(Actor.agent(), new NewRun(runbookId, params, Optional.of(incidentId), RunKind.LIVE))
        .map(EngineRecoveryRuns::of);
  }

  @Override
  public Future<RunView> requestStep(String runId, String stepId, String caller) {
    return engine.view(runId).map(EngineRecoveryRuns::of).compose(run -> {
      if (!run.allowedNextSteps().contains(stepId)) {
        return Future.failedFuture(new ConflictException("step " + stepId + " of run " + runId
            + " cannot be requested now (run " + run.state() + (run.waitingFor().map(w -> ", waiting for " + w)
            .orElse("") + "); allowed next: " + (run.allowedNextSteps().isEmpty() ? "none"
            : String.join(", ", run.allowedNextSteps())))));
      }
      return Future.succeededFuture(run);
    });
  }

  /** The engine's run view (JSON) as the agent's record. */
  static RunView of(JsonNode v) {
    List<StepView> steps = new ArrayList<>();
    List<String> next = new ArrayList<>();
    JsonNode awaiting = v.path("awaiting");
    boolean working = !v.path("work").isNull() && !v.path("work").isMissingNode();
    for (JsonNode s : v.path("steps")) {
      String id = s.path("id").asText();
      String state = s.path("state").asText();
      int needed = awaiting.path("step_id").asText("").equals(id) ? awaiting.path("approvals_required").asInt(1) : 0;
      List<ApprovalView> approvals = new ArrayList<>();
      for (JsonNode a : s.path("approvals")) {
        approvals.add(new ApprovalView(a.path("approver").asText(), a.path("attempt").asInt(),
            instant(a.get("created_at")).orElse(Instant.EPOCH), instant(a.get("expires_at")).orElse(Instant.EPOCH),
            instant(a.get("used_at")), instant(a.get("voided_at"))));
      }
      List<String> targets = new ArrayList<>();
      s.path("targets").forEach(t -> targets.add(t.asText()));
      steps.add(new StepView(id, s.path("title").asText(), s.path("risk").asText(), state, s.path("attempt").asInt(),
          text(s.get("action_hash")), Optional.ofNullable(s.get("action")).filter(a -> !a.isNull()).map(JsonNode::deepCopy),
          targets, needed, approvals));
      if (state.equals("awaiting_approval") && !working && !FINISHED.contains(v.path("state").asText())) {
        next.add(id);
      }
    }
    return new RunView(v.path("id").asText(), v.path("runbook_id").asText(), v.path("runbook_version").asInt(),
        v.path("content_hash").asText(), v.path("params").deepCopy(), v.path("state").asText(),
        text(v.get("waiting_for")), text(v.get("incident_id")), steps, next);
  }

  private static Optional<String> text(JsonNode n) {
    return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
  }

  private static Optional<Instant> instant(JsonNode n) {
    return text(n).map(Instant::parse);
  }
}
