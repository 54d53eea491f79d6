package dev.rebound.app;

import dev.rebound.agent.AgentSettings;
import dev.rebound.db.Database;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.engine.Engine;
import dev.rebound.engine.EngineSettings;
import dev.rebound.audit.AuditQuery;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.http.AssetRoutes;
import dev.rebound.http.AuditRoutes;
import dev.rebound.http.HttpServerVerticle;
import dev.rebound.http.Metrics;
import dev.rebound.http.RunbookRoutes;
import dev.rebound.http.StreamSlots;
import dev.rebound.inventory.Knowledge;
import dev.rebound.retrieval.EmbeddingSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and starts the service: database (migrated first), content, HTTP. The one place where
 * infrastructure is wired; everything else receives what it needs.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** A started service; {@link #close()} stops it. */
  public record Running(Vertx vertx, Database database, HttpServerVerticle http, Services services, Engine engine,
      DrillWiring drills) {
    public int port() {
      return http.actualPort();
    }

    /**
     * The first part of a graceful stop: both engines (runs and drills) stop claiming work at
     * once, then wait at most {@code grace} for the steps they execute to record how they ended.
     * Completes with whether everything ended; what did not is left to lease recovery. A drill in
     * progress ends meanwhile, as failed (its run aborted once its step ended, if it did within
     * {@code grace}; the demo system reset): the future completes only after it did, so the pool
     * must stay open until then.
     */
    public Future<Boolean> stopEngines(Duration grace) {
      Future<Void> drill = drills.stopDrills(grace);
      Future<Boolean> runs = engine.stop(grace);
      Future<Boolean> drillRuns = drills.engine().stop(grace);
      return Future.join(runs, drillRuns, drill).map(all -> runs.result() && drillRuns.result());
    }

    /** What the engines execute now: the steps {@link #stopEngines} waits for. */
    public List<Engine.Executing> executing() {
      List<Engine.Executing> all = new ArrayList<>(engine.executing());
      all.addAll(drills.engine().executing());
      return all;
    }

    /** Closes the database pool; the caller owns (and closes) the Vert.x instance. */
    public Future<Void> close() {
      // The engine first: it waits for the steps it is executing, which still need the pool; the
      // audit log next, so the seals under way end before the pool closes instead of meeting it.
      return drills.stop().eventually(engine::stop).eventually(services.audit()::close).eventually(database::close);
    }
  }

  /**
   * Services shared by the HTTP routes, Slack, the agent and the engines. {@code audit} is the
   * process's one audit log: every part appends through it, and it is closed before the pool.
   */
  public record Services(
      Workspace workspace,
      RunbookRepository runbooks,
      Knowledge knowledge,
      RunbookStatuses statuses,
      RunbookApprovals approvals,
      PgAuditLog audit) {}

  private record Content(RunbookRepository runbooks, Knowledge knowledge) {}

  /**
   * Loads knowledge (failing with every problem when it is invalid: a service with a broken
   * inventory would give wrong impact answers), migrates, and deploys the HTTP verticle.
   */
  public static Future<Running> start(Vertx vertx, Workspace workspace) {
    return start(vertx, workspace, EmbeddingSettings.inProcess());
  }

  /** As {@link #start(Vertx, Workspace)}, with the embedding model for retrieval. */
  public static Future<Running> start(Vertx vertx, Workspace workspace, EmbeddingSettings embedding) {
    return start(vertx, workspace, embedding, EngineSettings.defaults());
  }

  /** As {@link #start(Vertx, Workspace, EmbeddingSettings)}, with the run engine's settings. */
  public static Future<Running> start(
      Vertx vertx, Workspace workspace, EmbeddingSettings embedding, EngineSettings engineSettings) {
    return start(vertx, workspace, embedding, engineSettings, null);
  }

  /** As above, with the agent's settings ({@code null}: defaults for the configured model). */
  public static Future<Running> start(Vertx vertx, Workspace workspace, EmbeddingSettings embedding,
      EngineSettings engineSettings, AgentSettings agentSettings) {
    Database database = Database.create(vertx, workspace.config().database());
    return vertx
        .executeBlocking(() -> {
          RunbookRepository runbooks = new RunbookRepository(workspace);
          Knowledge knowledge = workspace.loadKnowledge(runbooks.current().ids()).orElseThrow();
          return new Content(runbooks, knowledge);
        })
        .compose(loaded -> database.migrate().map(report -> loaded))
        .compose(loaded -> {
          RunbookApprovalStore store = new RunbookApprovalStore(database.pool());
          PgAuditLog audit = new PgAuditLog(database.pool(), Masker.of(workspace.config().secretValues()));
          Services services =
              new Services(
                  workspace,
                  loaded.runbooks(),
                  loaded.knowledge(),
                  new RunbookStatuses(store, workspace.config()),
                  new RunbookApprovals(database.pool(), audit),
                  audit);
          RetrievalWiring retrieval = RetrievalWiring.create(
              vertx, database.pool(), workspace, loaded.knowledge(), loaded.runbooks(), embedding, audit);
          var registry = Metrics.newRegistry();
          EngineWiring engine =
              EngineWiring.create(vertx, database.pool(), services, registry, engineSettings);
          DrillWiring drills = DrillWiring.create(vertx, database.pool(), services, registry, retrieval.index().search());
          AgentWiring agent =
              AgentWiring.create(vertx, database.pool(), services, retrieval, engine.engine(), agentSettings);
          var slack = SlackWiring.create(vertx, database.pool(), services, retrieval, engine.engine(), agent.agent(), drills);
          HttpServerVerticle http =
              HttpServerVerticle.builder(workspace.config(), database)
                  .meterRegistry(registry)
                  .routes(engine.routes(new StreamSlots(workspace.config().http().streamsPerCaller())))
                  .routes(new RunbookRoutes(services), new AssetRoutes(services))
                  .routes(retrieval.routes(java.util.List.of(drills.searchFlags())))
                  .routes(drills.routes())
                  .routes(agent.routes())
                  .routes(slack.routes())
                  .routes(new AuditRoutes(new AuditQuery(database.pool()), new AuditVerifier(database.pool()), registry))
                  .readinessCheck(retrieval.readiness())
                  .build();
          return vertx.deployVerticle(http)
              .onSuccess(id -> retrieval.startBackground())
              .compose(id -> engine.start())
              .compose(v -> slack.start())
              .compose(id -> drills.closeAbandoned().otherwiseEmpty())
              .map(id -> new Running(vertx, database, http, services, engine.engine(), drills));
        })
        .onFailure(err -> database.close());
  }
}
