package dev.rebound.agent;

import dev.rebound.audit.AuditLog;
import dev.rebound.audit.AuditQuery;
import dev.rebound.audit.Masker;
import dev.rebound.engine.RunbookGate;
import dev.rebound.engine.check.CheckRunner;
import dev.rebound.incident.IncidentService;
import dev.rebound.inventory.Knowledge;
import dev.rebound.retrieval.HybridSearch;
import dev.rebound.retrieval.Indexer;
import dev.rebound.runbook.RunbookCatalog;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * What the agent's tools are thin adapters over, handed in by the application (the agent builds
 * none of it).
 *
 * @param indexer re-indexes an incident when it is resolved, so it is found at once
 * @param catalog the runbooks as on disk now; blocking, called on a worker
 * @param gate whether a runbook (its exact content) may be started: approved and active
 * @param checks the read-only check runners (blocking; the agent calls them on a worker)
 * @param templateEnv values of {@code {{env.X}}} for rendering checks; {@code secretEnv} names
 *     the secret ones (masked wherever shown)
 * @param audit where the agent's entries go; {@code auditQuery} reads them back (postmortems)
 * @param masker masks configured secret values in anything shown to the model or stored
 */
public record AgentDeps(
    Vertx vertx,
    HybridSearch search,
    Indexer indexer,
    IncidentService incidents,
    Knowledge knowledge,
    Callable<RunbookCatalog> catalog,
    RunbookGate gate,
    RecoveryRuns runs,
    CheckRunner checks,
    Map<String, String> templateEnv,
    Set<String> secretEnv,
    AuditLog audit,
    AuditQuery auditQuery,
    Masker masker) {

  public AgentDeps {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(search, "search");
    Objects.requireNonNull(indexer, "indexer");
    Objects.requireNonNull(incidents, "incidents");
    Objects.requireNonNull(knowledge, "knowledge");
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(runs, "runs");
    Objects.requireNonNull(checks, "checks");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(auditQuery, "auditQuery");
    Objects.requireNonNull(masker, "masker");
    templateEnv = Map.copyOf(templateEnv);
    secretEnv = Set.copyOf(secretEnv);
  }
}
