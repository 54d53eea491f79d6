package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.engine.Actor;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The agent's view of the engine: what it may ask for (a proposed run, an approval request) and
 * what it reads (the incident's active run and its allowed next steps). Nothing here executes a
 * step or approves one; the adapter ({@link EngineRecoveryRuns}) acts as the agent identity, which
 * the engine never accepts as an approver, on behalf of the person chatting, who becomes the
 * run's requester (and so cannot approve its high-risk steps).
 *
 * <p><b>Threading:</b> non-blocking, futures. <b>Failures:</b> an engine refusal fails the future
 * with a {@code dev.rebound.error} exception whose message is shown to the model as the reason.
 * <b>Idempotency:</b> {@link #requestStep} on a step that already awaits approval returns it
 * unchanged; {@link #propose} creates a new run each time (the menu offers it only while no run
 * is active).
 */
public interface RecoveryRuns {

  /** The incident's newest run that is not finished (proposed, running, or failed and awaiting a decision). */
  Future<Optional<RunView>> activeRun(String incidentId);

  /**
   * Creates a run in state {@code proposed}, requested by {@code requester} and proposed by the
   * agent. The engine checks the requester's role, the runbook gate (approved content hash,
   * active) and binds the params.
   */
  Future<RunView> propose(String incidentId, String runbookId, JsonNode params, Actor requester);

  /**
   * Asks for the approval of {@code stepId}, which must be one of the run's allowed next steps
   * (the engine refuses any other). The step awaits approval and its {@link StepView} holds what
   * an approval binds.
   */
  Future<RunView> requestStep(String runId, String stepId, Actor requester);

  /** The ids of the incident's runs, oldest first. */
  Future<List<String>> runIds(String incidentId);

  /**
   * The engine's full view of a run (steps, approvals with who and when, checks, what it waits
   * for), as JSON, for postmortems.
   */
  Future<JsonNode> detail(String runId);

  /** A run as the agent and the API show it. {@code params} are the bound values. */
  record RunView(
      String id,
      String runbookId,
      int runbookVersion,
      String contentHash,
      JsonNode params,
      String state,
      String requestedBy,
      Optional<String> proposedBy,
      Optional<String> waitingFor,
      Optional<String> incidentId,
      List<StepView> steps,
      List<String> allowedNextSteps) {

    public RunView {
      steps = List.copyOf(steps);
      allowedNextSteps = List.copyOf(allowedNextSteps);
    }

    public Optional<StepView> step(String stepId) {
      return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
    }

    /** Succeeded, rolled back or aborted: nothing more happens to it. A failed run is not finished. */
    public boolean finished() {
      return state.equals("succeeded") || state.equals("rolled_back") || state.equals("aborted");
    }
  }

  /**
   * One step. {@code actionHash} and {@code action} (masked rendering) exist once the step was
   * rendered for approval; an approval binds them together with the run's content hash,
   * {@code attempt} and {@code targets}.
   */
  record StepView(
      String id,
      String title,
      String risk,
      String state,
      int attempt,
      Optional<String> actionHash,
      Optional<JsonNode> action,
      List<String> targets,
      int approvalsNeeded,
      List<ApprovalView> approvals) {

    public StepView {
      targets = List.copyOf(targets);
      approvals = List.copyOf(approvals);
    }
  }

  /** One person's approval of a step attempt. */
  record ApprovalView(String approver, int attempt, Instant createdAt, Instant expiresAt, Optional<Instant> usedAt,
      Optional<Instant> voidedAt) {}
}
