package dev.rebound.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.NotFoundException;
import dev.rebound.inventory.Role;
import dev.rebound.runbook.BoundParams;
import dev.rebound.runbook.ParamBinder;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starting runs: the runbook as on disk now must be approved for its content hash and active,
 * the parameters must bind, the first step must render, and the incident named must exist; then the run is stored
 * {@code proposed} with its steps {@code pending}, and either its preconditions are checked or
 * its first step awaits approval.
 */
final class RunCreation {
  private final Core core;

  RunCreation(Core core) {
    this.core = core;
  }

  private record Prepared(Runbook runbook, BoundParams params, StepRenderer.Rendered first) {}

  Future<String> create(Actor actor, NewRun request) {
    return create(actor, request, Optional.empty());
  }

  /**
   * Starts a run requested by {@code actor}; when {@code proposer} is given (the agent, acting
   * for {@code actor}), it is recorded beside the requester and is the actor of the
   * {@code run.created} entry, whose details name both.
   */
  Future<String> create(Actor actor, NewRun request, Optional<Actor> proposer) {
    Optional<ForbiddenException> roleTooLow = roleRefusal(actor);
    if (roleTooLow.isPresent()) {
      return Future.failedFuture(roleTooLow.get());
    }
    if (request.kind() == RunKind.DRILL && actor.type() != dev.rebound.audit.ActorType.DRILL) {
      return Future.failedFuture(new ForbiddenException("only the drill bot starts drill runs"));
    }
    if (request.kind() == RunKind.LIVE && actor.type() == dev.rebound.audit.ActorType.DRILL) {
      return Future.failedFuture(new ForbiddenException("the drill bot cannot start live runs"));
    }
    return core.blocking(() -> prepare(request))
        .compose(prepared -> core.gate.refusal(prepared.runbook()).compose(refusal -> refusal.isPresent()
            ? Future.failedFuture(new ConflictException(refusal.get()))
            : Future.succeededFuture(prepared)))
        .compose(prepared -> insert(actor, request, prepared, proposer))
        .compose(runId -> core.runWork.apply(runId).map(runId));
  }

  /** The refusal of a run to an actor whose role is below responder, whatever they ask to start. */
  static Optional<ForbiddenException> roleRefusal(Actor actor) {
    return actor.role().allows(Role.RESPONDER) ? Optional.empty()
        : Optional.of(new ForbiddenException("starting a run needs role responder; " + actor.id() + " has "
            + actor.role().yamlName()));
  }

  private Prepared prepare(NewRun request) {
    Runbook runbook = core.runbooks.current(request.runbookId())
        .orElseThrow(() -> NotFoundException.of("runbook", request.runbookId()));
    BoundParams params = ParamBinder.bindJson(runbook, request.params()).orElseThrow();
    // Render what the first approval will show, and every precondition, so a run that cannot
    // render (an unset env variable) is refused now rather than stuck later.
    StepRenderer.Rendered first = core.renderer.action(runbook.steps().get(0), params.values(), Map.of());
    core.renderer.checks(runbook.preconditions(), "/preconditions", core.renderer.renderer(params.values(), Map.of()));
    return new Prepared(runbook, params, first);
  }

  private Future<String> insert(Actor actor, NewRun request, Prepared p, Optional<Actor> proposer) {
    Runbook runbook = p.runbook();
    String runId = RunIds.next(core.now().toEpochMilli());
    boolean checkFirst = !runbook.preconditions().isEmpty();
    Step first = runbook.steps().get(0);
    ObjectNode params = p.params().toJson();
    RunRecord run = new RunRecord(runId, runbook.id(), runbook.version(), runbook.contentHash(), params,
        request.incidentId(), request.kind(), actor.id(), actor.type().dbName(), RunState.PROPOSED,
        Optional.of(checkFirst ? Waiting.preconditions() : Waiting.approval(first.id())),
        checkFirst ? Optional.of("preconditions") : Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), null, null, Optional.empty());
    Columns lease = checkFirst
        ? Columns.set().put("lease_owner", core.settings.ownerId()).leaseFromNow("lease_until", core.settings.lease())
        : Columns.set();
    return core.store.inTransaction(tx -> {
      Future<Void> chain = request.incidentId().map(incident -> proposer.isPresent()
              ? tx.lockIncidentForProposal(incident).compose(active -> noActiveRun(incident, active))
              : tx.lockIncident(incident))
          .orElseGet(Future::succeededFuture)
          .compose(v -> tx.insertRun(run, lease));
      if (proposer.isPresent()) {
        chain = chain.compose(v -> tx.updateRun(runId, Columns.set().put("proposed_by", proposer.get().id())
            .put("proposed_by_type", proposer.get().type().dbName()))).mapEmpty();
      }
      for (Step step : runbook.steps()) {
        boolean awaiting = step.index() == 0 && !checkFirst;
        StepRecord row = pendingRow(runId, step, awaiting ? Optional.of(p.first()) : Optional.empty());
        chain = chain.compose(v -> tx.insertStep(row));
      }
      tx.record(Events.run(proposer.orElse(actor), "run.created", run, Events.details(
          "requested_by", actor.id(), "proposed_by", proposer.map(Actor::id).orElse(null),
          "runbook_id", runbook.id(), "runbook_version", runbook.version(), "content_hash", runbook.contentHash(),
          "params", core.renderer.masker().mask(params), "kind", request.kind().dbName(),
          "incident_id", request.incidentId().orElse(null),
          "steps", runbook.steps().stream().map(Step::id).toList())));
      if (!checkFirst) {
        tx.record(StepTransitions.awaiting(core, run, first, 1, p.first()));
      }
      return chain.map(runId);
    }).onSuccess(id -> core.runbookReads.remember(run));
  }

  /** The agent proposes a run only while none is active for the incident (one at a time, people decide the next). */
  private static Future<Void> noActiveRun(String incidentId, Optional<String> activeRun) {
    return activeRun.isEmpty() ? Future.succeededFuture()
        : Future.failedFuture(new ConflictException("run " + activeRun.get() + " is active for incident " + incidentId
            + ": the agent proposes a run only while none is; a person must finish or abort that one first"));
  }

  StepRecord pendingRow(String runId, Step step, Optional<StepRenderer.Rendered> rendered) {
    boolean awaiting = rendered.isPresent();
    return new StepRecord(runId, step.index(), step.id(), step.title(), step.risk().label(),
        awaiting ? StepState.AWAITING_APPROVAL : StepState.PENDING, 0, rendered.map(StepRenderer.Rendered::hash),
        rendered.map(StepRenderer.Rendered::display), step.action().type(), step.targets(), step.idempotent(),
        step.rollback().isPresent(), runId + "/" + step.id(), Optional.empty(), Optional.empty(), "none",
        Optional.empty(), Optional.empty(), false, false, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(),
        awaiting ? Optional.of(OffsetDateTime.ofInstant(core.now(), ZoneOffset.UTC)) : Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  static List<String> ids(Runbook runbook) {
    return runbook.steps().stream().map(Step::id).toList();
  }
}
