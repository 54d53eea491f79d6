package dev.rebound.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.AuditLog;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.engine.Actor;
import dev.rebound.engine.Engine;
import dev.rebound.engine.EngineSettings;
import dev.rebound.engine.RunListing;
import dev.rebound.inventory.Knowledge;
import dev.rebound.inventory.Person;
import dev.rebound.inventory.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs for the command line: list, show, and approve or reject a step as a named person, through
 * the same {@link Engine} the service runs, so every rule (roles, four eyes, the bound action
 * hash, expiry, audit of refusals) is the API's. This engine is never started: it executes
 * nothing itself; a step it completes the approvals of is claimed by a running service's poller.
 *
 * <p>The person is taken at their word with their team.yaml role, as {@code rebound runbooks
 * approve} does: whoever can reach the database can act as anyone, so restrict access to it.
 */
public final class RunConsole {
  private final Engine engine;
  private final RunListing listing;
  private final Knowledge knowledge;

  /** {@code audit}: the command's audit log, which the caller closes after {@link #close()}, before the pool. */
  public RunConsole(Vertx vertx, Pool pool, AuditLog audit, Workspace workspace, Knowledge knowledge) {
    this.knowledge = knowledge;
    this.listing = new RunListing(pool);
    EngineSettings settings = EngineSettings.defaults().withDispatchOnApproval(false).withPollInterval(Duration.ZERO)
        .withWorkers(1);
    this.engine = EngineWiring.build(vertx, pool, audit, workspace, () -> knowledge,
        new RunbookStatuses(new RunbookApprovalStore(pool), workspace.config()), null, settings);
  }

  public Future<List<ObjectNode>> list(Optional<String> state, Optional<String> incidentId, int limit) {
    return listing.list(state, incidentId, limit);
  }

  public Future<ObjectNode> show(String runId) {
    return engine.view(runId);
  }

  /** Completes with what the approval binds, as the API answers. */
  public Future<ObjectNode> approve(String person, String runId, String stepId, String actionHash) {
    return actor(person).compose(actor -> engine.approve(actor, runId, stepId, actionHash));
  }

  public Future<ObjectNode> reject(String person, String runId, String stepId, String reason) {
    return actor(person).compose(actor -> engine.reject(actor, runId, stepId, reason));
  }

  /** Releases the engine's worker pool. */
  public Future<Void> close() {
    return engine.stop();
  }

  /** The person with their team.yaml role; someone not in team.yaml is refused (and audited) by the engine. */
  private Future<Actor> actor(String person) {
    Role role = knowledge.team().person(person).map(Person::highestRole).orElse(Role.VIEWER);
    return Future.succeededFuture(Actor.teamMember(person, role));
  }
}
