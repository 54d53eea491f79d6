package dev.rebound.app;

import dev.rebound.agent.AgentDeps;
import dev.rebound.agent.AgentService;
import dev.rebound.agent.AgentSettings;
import dev.rebound.agent.EngineRecoveryRuns;
import dev.rebound.audit.AuditQuery;
import dev.rebound.audit.Masker;
import dev.rebound.config.ReboundConfig;
import dev.rebound.engine.Engine;
import dev.rebound.engine.RunbookGate;
import dev.rebound.engine.check.CheckRunners;
import dev.rebound.http.AgentRoutes;
import dev.rebound.http.ApiRoutes;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Builds the recovery agent from the loaded content, retrieval and the run engine: its tools are
 * thin adapters over these, its model comes from {@link AgentSettings} (none: guided mode), its
 * prompts from {@code prompts/} next to the runbooks directory (else {@code ./prompts}).
 * Start-up only: reads the prompt files.
 */
public final class AgentWiring {
  private final AgentService agent;

  private AgentWiring(AgentService agent) {
    this.agent = agent;
  }

  /** @param settings {@code null} for the defaults of the configured model */
  public static AgentWiring create(Vertx vertx, Pool pool, Bootstrap.Services services, RetrievalWiring retrieval,
      Engine engine, AgentSettings settings) {
    Workspace workspace = services.workspace();
    ReboundConfig config = workspace.config();
    Masker masker = Masker.of(config.secretValues());
    AgentSettings effective = settings != null ? settings : AgentSettings.defaults(config.model(), promptsDir(workspace));
    RunbookGate gate = runbook -> services.statuses().of(runbook).map(status -> status.startable()
        ? Optional.<String>empty()
        : Optional.of(status.describe()));
    AuditQuery auditQuery = new AuditQuery(pool);
    AgentDeps deps = new AgentDeps(
        vertx,
        retrieval.index().search(),
        retrieval.index().indexer(),
        retrieval.incidents(),
        services.knowledge(),
        services.runbooks()::current,
        gate,
        new EngineRecoveryRuns(engine),
        CheckRunners.standard(config, config.artifactBase(), id -> services.knowledge().assets().find(id)),
        config.templateEnv().values(),
        config.templateEnv().secretNames(),
        services.audit(),
        auditQuery,
        masker);
    return new AgentWiring(AgentService.create(deps, effective, pool));
  }

  /** {@code prompts/} beside the runbooks directory when it exists, else in the working directory. */
  static Path promptsDir(Workspace workspace) {
    Path parent = workspace.runbooksDir().toAbsolutePath().getParent();
    if (parent != null && Files.isDirectory(parent.resolve("prompts"))) {
      return parent.resolve("prompts");
    }
    return AgentSettings.DEFAULT_PROMPTS_DIR;
  }

  public AgentService agent() {
    return agent;
  }

  public ApiRoutes routes() {
    return new AgentRoutes(agent);
  }
}
