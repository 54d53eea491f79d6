package dev.rebound.app;

import dev.rebound.db.Database;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.http.AssetRoutes;
import dev.rebound.http.HttpServerVerticle;
import dev.rebound.http.RunbookRoutes;
import dev.rebound.inventory.Knowledge;
import dev.rebound.retrieval.EmbeddingSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Builds and starts the service: database (migrated first), content, HTTP. The one place where
 * infrastructure is wired; everything else receives what it needs.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** A started service; {@link #close()} stops it. */
  public record Running(Vertx vertx, Database database, HttpServerVerticle http, Services services) {
    public int port() {
      return http.actualPort();
    }

    /** Closes the database pool; the caller owns (and closes) the Vert.x instance. */
    public Future<Void> close() {
      return database.close();
    }
  }

  /** Services shared by the HTTP routes (and later Slack, agent, engine). */
  public record Services(
      Workspace workspace,
      RunbookRepository runbooks,
      Knowledge knowledge,
      RunbookStatuses statuses,
      RunbookApprovals approvals) {}

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
          Services services =
              new Services(
                  workspace,
                  loaded.runbooks(),
                  loaded.knowledge(),
                  new RunbookStatuses(store, workspace.config()),
                  new RunbookApprovals(store));
          RetrievalWiring retrieval = RetrievalWiring.create(
              vertx, database.pool(), workspace, loaded.knowledge(), loaded.runbooks(), embedding);
          HttpServerVerticle http =
              HttpServerVerticle.builder(workspace.config(), database)
                  .routes(new RunbookRoutes(services), new AssetRoutes(services))
                  .routes(retrieval.routes())
                  .readinessCheck(retrieval.readiness())
                  .build();
          return vertx.deployVerticle(http)
              .onSuccess(id -> retrieval.startBackground())
              .map(id -> new Running(vertx, database, http, services));
        })
        .onFailure(err -> database.close());
  }
}
