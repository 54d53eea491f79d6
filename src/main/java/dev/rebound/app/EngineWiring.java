package dev.rebound.app;

import dev.rebound.audit.AuditQuery;
import dev.rebound.audit.Masker;
import dev.rebound.audit.AuditLog;
import dev.rebound.config.ReboundConfig;
import dev.rebound.engine.Engine;
import dev.rebound.engine.EngineSettings;
import dev.rebound.engine.FileRunbookSource;
import dev.rebound.engine.action.ActionExecutors;
import dev.rebound.engine.check.CheckRunners;
import dev.rebound.inventory.Knowledge;
import dev.rebound.http.ApiRoutes;
import dev.rebound.http.RunRoutes;
import dev.rebound.http.StreamSlots;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Builds the run engine from the configuration and the loaded content: its audit log and
 * masker from the configuration's secrets, runbooks read from the runbooks directory as they are
 * now, the approval gate from runbook approvals and activation, the team from knowledge, the
 * standard executors and checks. {@link Bootstrap} starts it after the HTTP server listens and
 * stops it before the pool closes.
 */
public final class EngineWiring {
  private final Engine engine;
  private final Pool pool;

  private EngineWiring(Engine engine, Pool pool) {
    this.engine = engine;
    this.pool = pool;
  }

  public static EngineWiring create(Vertx vertx, Pool pool, Bootstrap.Services services, MeterRegistry registry,
      EngineSettings settings) {
    return new EngineWiring(build(vertx, pool, services.audit(), services.workspace(), () -> services.knowledge(),
        services.statuses(), registry, settings), pool);
  }

  /** The engine over this workspace with the standard executors; also what {@link RunConsole} (the CLI) uses. */
  static Engine build(Vertx vertx, Pool pool, AuditLog audit, Workspace workspace, Supplier<Knowledge> knowledge,
      RunbookStatuses statuses, MeterRegistry registry, EngineSettings settings) {
    ActionExecutors actions = ActionExecutors.standard(workspace.config(), workspace.scriptsDir(),
        Path.of("").toAbsolutePath());
    return builder(vertx, pool, audit, workspace, knowledge, statuses, registry, settings, actions).build();
  }

  /** The engine's wiring with the given action executors (drills shorten their waits). */
  static Engine.Builder builder(Vertx vertx, Pool pool, AuditLog audit, Workspace workspace,
      Supplier<Knowledge> knowledge, RunbookStatuses statuses, MeterRegistry registry, EngineSettings settings,
      ActionExecutors actions) {
    ReboundConfig config = workspace.config();
    Masker masker = Masker.of(config.secretValues());
    return Engine.builder(vertx, pool, audit)
        .runbooks(new FileRunbookSource(workspace.runbooksDir()))
        .gate(statuses.gate())
        .policy(workspace.approvalPolicy())
        .team(() -> knowledge.get().team())
        .templateEnv(config.templateEnv().values(), config.templateEnv().secretNames())
        .masker(masker)
        .actions(actions)
        .checks(CheckRunners.standard(config, config.artifactBase(), id -> knowledge.get().assets().find(id)))
        .settings(settings)
        .settle(config.settle())
        .meterRegistry(registry);
  }

  public Engine engine() {
    return engine;
  }

  /** {@code streams}: the server's one count of open event streams per caller. */
  public ApiRoutes routes(StreamSlots streams) {
    return new RunRoutes(engine, new AuditQuery(pool), streams);
  }

  public Future<Void> start() {
    return engine.start();
  }
}
