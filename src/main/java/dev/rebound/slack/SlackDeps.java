package dev.rebound.slack;

import dev.rebound.agent.AgentService;
import dev.rebound.audit.AuditLog;
import dev.rebound.config.SlackSettings;
import dev.rebound.engine.Engine;
import dev.rebound.engine.RunbookGate;
import dev.rebound.engine.check.ParamChoiceReader;
import dev.rebound.incident.IncidentService;
import dev.rebound.inventory.Knowledge;
import dev.rebound.runbook.RunbookCatalog;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the Slack edge is built from; {@code catalog} is blocking (it may re-read the runbook
 * files), called on a worker; {@code drillCautions} flags a suggested runbook whose drill is
 * failed, stale or missing; {@code gate} says whether a runbook may start (approved as it is, active)
 * before its form runs any of its queries; {@code choiceReader} reads a parameter's candidates for the run form
 * (blocking; the form reads all its parameters at once within the reader's one timeout, short enough for
 * Slack's three seconds to open a form).
 */
public record SlackDeps(
    Vertx vertx,
    Pool pool,
    SlackSettings settings,
    IncidentService incidents,
    AgentService agent,
    Engine engine,
    Knowledge knowledge,
    Supplier<RunbookCatalog> catalog,
    AuditLog audit,
    DrillCautions drillCautions,
    RunbookGate gate,
    ParamChoiceReader choiceReader) {

  public SlackDeps {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(incidents, "incidents");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(knowledge, "knowledge");
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(drillCautions, "drillCautions");
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(choiceReader, "choiceReader");
  }
}
