package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.engine.Actor;
import dev.rebound.engine.Engine;
import dev.rebound.engine.NewRun;
import dev.rebound.engine.RunKind;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link RecoveryRuns} over the run {@link Engine}, acting as {@link Actor#agent()} (which the
 * engine never accepts as an approver) on behalf of the person chatting:
 *
 * <ul>
 *   <li>{@link #propose}: {@code Engine.propose}; the run's requester is the person, its proposer
 *       the agent; the engine checks the runbook gate and the parameters and stores the run
 *       {@code proposed}, then checks preconditions or makes the first step await approval;
 *   <li>{@link #requestStep}: {@code Engine.requestStep}, which refuses a step that is not one of
 *       the run's allowed next steps and audits the request with what the approval binds;
 *   <li>{@link #activeRun}: the newest of {@code Engine.runsOfIncident} that is not finished.
 * </ul>
 *
 * The allowed next steps are the engine's ({@code allowed_next_steps} of its run view).
 */
public final class EngineRecoveryRuns implements RecoveryRuns {
  private static final Set<String> FINISHED = Set.of("succeeded", "rolled_back", "aborted");

  private final Engine engine;

  public EngineRecoveryRuns(Engine engine) {
    this.engine = engine;
  }

  @Override
  public Future<Optional<RunView>> activeRun(String incidentId) {
    return engine.runsOfIncident(incidentId).compose(runs -> {
      for (int i = runs.size() - 1; i >= 0; i--) {
        ObjectNode run = runs.get(i);
        if (!FINISHED.contains(run.path("state").asText())) {
          return engine.view(run.path("id").asText()).map(view -> Optional.of(of(view)));
        }
      }
      return Future.succeededFuture(Optional.<RunView>empty());
    });
  }

  @Override
  public Future<List<String>> runIds(String incidentId) {
    return engine.runsOfIncident(incidentId).map(runs -> runs.stream().map(r -> r.path("id").asText()).toList());
  }

  @Override
  public Future<JsonNode> detail(String runId) {
    return engine.view(runId).map(v -> v);
  }

  @Override
  public Future<RunView> propose(String incidentId, String runbookId, JsonNode params, Actor requester) {
    return engine.propose(Actor.agent(), requester, new NewRun(runbookId, params, Optional.of(incidentId),
        RunKind.LIVE)).map(EngineRecoveryRuns::of);
  }

  @Override
  public Future<RunView> requestStep(String runId, String stepId, Actor requester) {
    return engine.requestStep(Actor.agent(), requester, runId, stepId).map(EngineRecoveryRuns::of);
  }

  /** The engine's run view (JSON) as the agent's record. */
  static RunView of(JsonNode v) {
    List<StepView> steps = new ArrayList<>();
    JsonNode awaiting = v.path("awaiting");
    for (JsonNode s : v.path("steps")) {
      String id = s.path("id").asText();
      int needed = awaiting.path("step_id").asText("").equals(id) ? awaiting.path("approvals_required").asInt(1) : 0;
      List<ApprovalView> approvals = new ArrayList<>();
      for (JsonNode a : s.path("approvals")) {
        approvals.add(new ApprovalView(a.path("approver").asText(), a.path("attempt").asInt(),
            instant(a.get("created_at")).orElse(Instant.EPOCH), instant(a.get("expires_at")).orElse(Instant.EPOCH),
            instant(a.get("used_at")), instant(a.get("voided_at"))));
      }
      List<String> targets = new ArrayList<>();
      s.path("targets").forEach(t -> targets.add(t.asText()));
      steps.add(new StepView(id, s.path("title").asText(), s.path("risk").asText(), s.path("state").asText(),
          s.path("attempt").asInt(), text(s.get("action_hash")),
          Optional.ofNullable(s.get("action")).filter(a -> !a.isNull()).map(JsonNode::deepCopy), targets, needed,
          approvals));
    }
    List<String> next = new ArrayList<>();
    v.path("allowed_next_steps").forEach(n -> next.add(n.asText()));
    return new RunView(v.path("id").asText(), v.path("runbook_id").asText(), v.path("runbook_version").asInt(),
        v.path("content_hash").asText(), v.path("params").deepCopy(), v.path("state").asText(),
        v.path("requested_by").asText(), text(v.get("proposed_by")), text(v.get("waiting_for")),
        text(v.get("incident_id")), steps, next);
  }

  private static Optional<String> text(JsonNode n) {
    return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
  }

  private static Optional<Instant> instant(JsonNode n) {
    return text(n).map(Instant::parse);
  }
}
