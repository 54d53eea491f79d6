package dev.rebound.app;

import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.config.ReboundConfig;
import dev.rebound.drill.DemoControl;
import dev.rebound.drill.DrillEnvironment;
import dev.rebound.drill.DrillFlags;
import dev.rebound.drill.DrillMetrics;
import dev.rebound.drill.DrillRunner;
import dev.rebound.drill.DrillService;
import dev.rebound.drill.PgDrillStore;
import dev.rebound.drill.RunbookRetriever;
import dev.rebound.drill.ScaledWait;
import dev.rebound.drill.Scenario;
import dev.rebound.drill.ScenarioLoader;
import dev.rebound.drill.ScenarioRefs;
import dev.rebound.engine.Engine;
import dev.rebound.engine.EngineSettings;
import dev.rebound.engine.action.ActionExecutors;
import dev.rebound.engine.check.CheckRunners;
import dev.rebound.http.ApiRoutes;
import dev.rebound.http.DrillRoutes;
import dev.rebound.retrieval.HybridSearch;
import dev.rebound.retrieval.SearchHit;
import dev.rebound.retrieval.SearchQuery;
import dev.rebound.runbook.ParamSpec;
import dev.rebound.runbook.Runbook;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Drills in a process (the service, or {@code rebound drill}): scenarios from {@code drills/},
 * the demo system at {@code drills.demo_url}, reports in the database, retrieval through the
 * normal hybrid search, and a drill engine: the same engine wiring (gate, policy, audit,
 * executors) with the drill wait scale applied to {@code wait} actions and no poller of its
 * own, so it only executes the steps its drill approved (and never picks up live runs).
 */
public final class DrillWiring {
  private static final Duration RETRIEVAL_TIMEOUT = Duration.ofSeconds(60);

  private final DrillService service;
  private final Engine engine;
  private final java.util.function.Function<String, Future<Boolean>> runbookExists;
  /** The audit log this wiring made for itself ({@link #standalone}), closed by {@link #stop}; none under serve. */
  private final java.util.Optional<PgAuditLog> ownAudit;

  private DrillWiring(DrillService service, Engine engine,
      java.util.function.Function<String, Future<Boolean>> runbookExists, java.util.Optional<PgAuditLog> ownAudit) {
    this.service = service;
    this.engine = engine;
    this.runbookExists = runbookExists;
    this.ownAudit = ownAudit;
  }

  public static DrillWiring create(Vertx vertx, Pool pool, Bootstrap.Services services, MeterRegistry registry,
      HybridSearch search) {
    return create(vertx, pool, services, registry, search, services.workspace().config().drills().demoUrl(),
        java.util.Optional.empty());
  }

  /**
   * For {@code rebound drill}: the same wiring outside the service, over the command's own pool,
   * with the demo system at {@code demoUrl} (the configured one, or one the command started).
   */
  public static DrillWiring standalone(Vertx vertx, Pool pool, Workspace workspace, KnowledgeIndex index,
      java.net.URI demoUrl) {
    Bootstrap.Services services = standaloneServices(pool, workspace);
    return create(vertx, pool, services, null, index.search(), demoUrl, java.util.Optional.of(services.audit()));
  }

  /**
   * For {@code rebound drill}, before the demo system and the index are prepared: why the
   * scenario's runbook cannot be started (not approved, inactive), as the service refuses it.
   * Blocking.
   */
  public static java.util.Optional<String> refusal(Pool pool, Workspace workspace, Scenario scenario) {
    Bootstrap.Services services = standaloneServices(pool, workspace);
    return DrillRunner.await(DrillRunner.refusal(scenario, services.runbooks().current().get(scenario.expectedRunbook()),
        services.statuses().gate()::refusal));
  }

  private static Bootstrap.Services standaloneServices(Pool pool, Workspace workspace) {
    RunbookRepository runbooks = new RunbookRepository(workspace);
    dev.rebound.inventory.Knowledge knowledge = workspace.loadKnowledge(runbooks.current().ids()).orElseThrow();
    dev.rebound.db.RunbookApprovalStore store = new dev.rebound.db.RunbookApprovalStore(pool);
    PgAuditLog audit = new PgAuditLog(pool, Masker.of(workspace.config().secretValues()));
    return new Bootstrap.Services(workspace, runbooks, knowledge, new RunbookStatuses(store, workspace.config()),
        new RunbookApprovals(pool, audit), audit);
  }

  private static DrillWiring create(Vertx vertx, Pool pool, Bootstrap.Services services, MeterRegistry registry,
      HybridSearch search, java.net.URI demoUrl, java.util.Optional<PgAuditLog> ownAudit) {
    Workspace workspace = services.workspace();
    ReboundConfig config = workspace.config();
    Path workingDir = Path.of("").toAbsolutePath();
    ActionExecutors actions = ActionExecutors.standard(config, workspace.scriptsDir(), workingDir)
        .with("wait", new ScaledWait(config.drills().waitScale()));
    Engine engine = EngineWiring.builder(vertx, pool, services.audit(), workspace, () -> services.knowledge(),
        services.statuses(), registry, EngineSettings.defaults().withPollInterval(Duration.ZERO), actions).build();
    DemoControl demo = new DemoControl(demoUrl,
        config.templateEnv().value("DEMO_ADMIN_TOKEN").orElse("demo-admin-token"));
    DrillEnvironment env = new DrillEnvironment(engine, demo,
        CheckRunners.standard(config, config.artifactBase(), id -> services.knowledge().assets().find(id)),
        id -> services.runbooks().current().get(id), services.statuses().gate()::refusal,
        id -> services.knowledge().assets().find(id),
        retriever(search), config.templateEnv().values(), config.templateEnv().secretNames(),
        config.drills().waitScale(), DrillEnvironment.DEFAULT_DETECT_TIMEOUT, DrillEnvironment.DEFAULT_MAX_DURATION,
        DrillEnvironment.DEFAULT_POLL);
    PgDrillStore store = new PgDrillStore(pool);
    DrillFlags flags = new DrillFlags(store, config.drills().maxAge(), Clock.systemUTC());
    DrillService service = new DrillService(vertx, () -> new ScenarioLoader(refs(services))
        .loadDir(workspace.drillsDir()), new DrillRunner(env), demo, store, flags, new DrillMetrics(registry));
    return new DrillWiring(service, engine,
        id -> vertx.executeBlocking(() -> services.runbooks().current().get(id).isPresent(), false), ownAudit);
  }

  /** What scenarios may name here: runbooks with their parameters, assets (faults are checked by the demo). */
  static ScenarioRefs refs(Bootstrap.Services services) {
    Map<String, List<ParamSpec>> params = services.runbooks().current().runbooks().stream()
        .collect(Collectors.toMap(Runbook::id, Runbook::params));
    Set<String> assets = services.knowledge().assets().assets().stream().map(a -> a.id()).collect(Collectors.toSet());
    return new ScenarioRefs(Set.of(), params, assets);
  }

  private static RunbookRetriever retriever(HybridSearch search) {
    return symptom -> {
      try {
        return search.search(SearchQuery.parse(symptom, "runbook", "3"))
            .await(RETRIEVAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
            .hits().stream().map(SearchHit::id).distinct().toList();
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("search did not answer within " + RETRIEVAL_TIMEOUT.toSeconds() + "s");
      }
    };
  }

  public DrillService service() {
    return service;
  }

  public ApiRoutes routes() {
    return new DrillRoutes(service, runbookExists);
  }

  /** {@code drill} on runbook search hits and suggestions: {last_status, last_at, flagged, reason}. */
  public dev.rebound.http.RunbookAnnotations searchFlags() {
    return new dev.rebound.http.RunbookAnnotations() {
      @Override
      public String field() {
        return "drill";
      }

      @Override
      public Future<Map<String, com.fasterxml.jackson.databind.JsonNode>> of(java.util.Collection<String> ids) {
        return service.flags().forRunbooks(ids).map(flags -> {
          Map<String, com.fasterxml.jackson.databind.JsonNode> out = new java.util.LinkedHashMap<>();
          flags.forEach((id, flag) -> out.put(id, flag.toJson()));
          return out;
        });
      }
    };
  }

  /** Marks drills a dead process left running (older than the longest drill) as failed. */
  public Future<Integer> closeAbandoned() {
    return service.store().closeAbandoned(Instant.now().minus(DrillEnvironment.DEFAULT_MAX_DURATION.multipliedBy(2)));
  }

  /**
   * Ends the drill in progress, if any ({@link DrillService#stop}), while the drill engine stops:
   * the step it executes ends first, then the drill aborts its run. Under {@link #standalone}, its
   * audit log is closed last (its seals under way end before the command closes the pool).
   */
  public Future<Void> stop() {
    Future<Void> stopped = Future.join(service.stop(), engine.stop()).mapEmpty();
    return ownAudit.map(audit -> stopped.eventually(audit::close)).orElse(stopped);
  }

  /**
   * Ends the drill in progress, if any, as failed (run aborted, demo system reset); completes once
   * it has ended, waiting at most {@code grace} for its run's step, as the engines do. The drill
   * engine is stopped apart.
   */
  Future<Void> stopDrills(Duration grace) {
    return service.stop(grace);
  }

  /** The drill engine, for a graceful stop of the service (see {@link Bootstrap.Running#stopEngines}). */
  Engine engine() {
    return engine;
  }
}
