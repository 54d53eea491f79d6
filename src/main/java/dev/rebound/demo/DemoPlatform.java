package dev.rebound.demo;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo production system as one verticle: its HTTP server (all prefixes of the contract on one
 * port), its schemas and seed data, its files, and its background loops. {@link #start()} listens
 * first (a taken port fails the deployment before anything is touched), then brings everything to
 * the seed state and starts the loops; until then requests get 503. {@link #reset()} restores the
 * seed state at any time (schemas dropped and re-created, files rewritten, in-memory faults
 * cleared), which is also what every start does: the demo keeps no state across restarts.
 *
 * <pre>{@code
 * DemoPlatform demo = DemoPlatform.deploy(vertx, DemoSettings.of(config.database(), workDir).withPort(0))
 *     .await(60, SECONDS);
 * demo.faults().corruptModelArtifact().await();      // break something
 * demo.calls().executed("POST /serving/admin/model"); // how often a step really acted
 * demo.reset().await();                              // back to the seed state
 * }</pre>
 *
 * Stopping the verticle (or closing its Vert.x) stops the loops, the server and the pool.
 */
public final class DemoPlatform extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DemoPlatform.class);
  private static final int BODY_LIMIT = 1024 * 1024;

  private final DemoSettings settings;
  private final CallCounts calls = new CallCounts();
  private final IdempotencyStore idempotency = new IdempotencyStore();
  private final Set<String> degenerate = new HashSet<>();
  private final KnowledgeBase knowledgeBase = KnowledgeBase.load();
  private final Faults faults = new Faults(this);
  private final Random random = new Random();
  private final Epoch epoch = new Epoch();
  private Pool pool;
  private Ticker ticker;
  private HttpServer server;
  private volatile boolean ready;
  private FeatureStore featureStore;
  private Registry registry;
  private ServingInstance primary;
  private ServingInstance standby;
  private Gateway gateway;
  private RagService rag;
  private RagIndexer indexer;
  private Pipelines pipelines;
  private EventGenerator generator;

  public DemoPlatform(DemoSettings settings) {
    this.settings = settings;
  }

  /** Deploys a platform on {@code vertx}; the future completes once it serves the seed state. */
  public static Future<DemoPlatform> deploy(Vertx vertx, DemoSettings settings) {
    DemoPlatform platform = new DemoPlatform(settings);
    return vertx.deployVerticle(platform).map(id -> platform);
  }

  @Override
  public Future<?> start() {
    pool = DemoDb.pool(vertx, settings.database());
    ticker = new Ticker(vertx);
    DemoEmbedders embedders = new DemoEmbedders(settings.embedder());
    featureStore = new FeatureStore(pool);
    registry = new Registry(vertx, pool, settings.baseDir());
    primary = new ServingInstance("primary", vertx, pool, registry, degenerate);
    standby = new ServingInstance("standby", vertx, pool, registry, degenerate);
    gateway = new Gateway(primary, standby);
    rag = new RagService(vertx, pool, embedders, knowledgeBase);
    indexer = new RagIndexer(vertx, pool, embedders, epoch);
    pipelines = new Pipelines(pool, epoch);
    generator = new EventGenerator(pool, settings.timings().eventsPerTick());
    Router router = router();
    return vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port()))
        .requestHandler(router)
        .listen()
        .compose(started -> {
          server = started;
          return seed();
        })
        .onSuccess(x -> {
          startLoops();
          ticker.resume();
          ready = true;
          LOG.info("demo platform listening on {}:{} (files under {})", settings.host(), server.actualPort(),
              settings.filesDir());
        })
        .onFailure(e -> {
          if (server != null) {
            server.close();
          }
          pool.close();
        });
  }

  @Override
  public Future<?> stop() {
    ready = false;
    Future<Void> loops = ticker == null ? Future.succeededFuture() : ticker.stop();
    return loops
        .compose(x -> server == null ? Future.succeededFuture() : server.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      if (!ready) {
        ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
            .end(new DemoHttpException(503, "starting", "the demo platform is starting or resetting").body().toBuffer());
        return;
      }
      ctx.next();
    });
    router.route().handler(BodyHandler.create(false).setHandleFileUploads(false).setBodyLimit(BODY_LIMIT));
    DemoRouter routes = new DemoRouter(router, settings.adminToken(), idempotency, calls);
    featureStore.mount(routes);
    registry.mount(routes);
    ServingRoutes.mount(routes, "/serving", primary, vertx);
    ServingRoutes.mount(routes, "/serving-standby", standby, vertx);
    GatewayRoutes.mount(routes, gateway);
    rag.mount(routes);
    indexer.mount(routes);
    pipelines.mount(routes);
    new Datasets(vertx, pool, settings.datasetsDir()).mount(routes);
    DemoAdminRoutes.mount(routes, this);
    for (int status : new int[] {404, 405}) {
      router.errorHandler(status, ctx -> routes.send(ctx, DemoRouter.unmatched(status)));
    }
    return router;
  }

  private void startLoops() {
    DemoTimings t = settings.timings();
    ticker.every(t.ingest(), "feature ingest", featureStore::ingestTick);
    ticker.every(t.generator(), "event generator", generator::tick);
    ticker.every(t.heartbeat(), "serving heartbeats", () -> Future.join(primary.heartbeat(), standby.heartbeat()));
    ticker.every(t.integrity(), "serving integrity", () -> Future.join(primary.checkIntegrity(), standby.checkIntegrity()));
    ticker.every(t.gatewayPoll(), "gateway health poll", gateway::poll);
    ticker.every(t.gatewayTraffic(), "gateway synthetic client", () -> GatewayRoutes.syntheticRequest(gateway, random));
    ticker.every(t.ragTraffic(), "rag synthetic client", rag::trafficTick);
    ticker.every(t.snapshots(), "feature snapshots", featureStore::snapshotTick);
    ticker.every(t.scheduler(), "pipeline scheduler", pipelines::schedulerTick);
    ticker.every(t.retention(), "rag index retention", rag::retentionTick);
  }

  /** Files, schemas, seed rows, RAG index, loaded models: the documented seed state. */
  private Future<Void> seed() {
    long start = System.nanoTime();
    epoch.advance();
    featureStore.reset();
    gateway.reset();
    generator.reset();
    degenerate.clear();
    idempotency.clear();
    calls.clear();
    faults.forgetAll();
    DemoFiles files = new DemoFiles(settings.modelsDir(), settings.datasetsDir());
    return vertx.executeBlocking(() -> {
          files.writeSeed();
          return null;
        })
        .compose(x -> DemoDb.runScript(pool, "schema.sql"))
        .compose(x -> DemoDb.runScript(pool, "seed.sql"))
        .compose(x -> rag.seed(indexer))
        .compose(x -> primary.loadCurrent())
        .compose(x -> standby.loadCurrent())
        .compose(x -> gateway.poll())
        .onSuccess(x -> LOG.info("demo platform seeded in {} ms", (System.nanoTime() - start) / 1_000_000));
  }

  /**
   * Back to the seed state: loops paused (and drained), requests answered 503 meanwhile, then
   * everything re-created. Callable from any thread.
   */
  public Future<Void> reset() {
    return onContext(this::resetOnContext);
  }

  Future<Void> resetOnContext() {
    ready = false;
    return ticker.pause()
        .compose(x -> seed())
        .andThen(x -> {
          ticker.resume();
          ready = true;
        });
  }

  /** Runs {@code work} on this verticle's event loop (where all its state lives). */
  <T> Future<T> onContext(Supplier<Future<T>> work) {
    Context ctx = context;
    if (ctx == null) {
      return Future.failedFuture(new IllegalStateException("the demo platform is not deployed"));
    }
    Promise<T> promise = Promise.promise();
    ctx.runOnContext(v -> {
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  public Faults faults() {
    return faults;
  }

  public CallCounts calls() {
    return calls;
  }

  public DemoSettings settings() {
    return settings;
  }

  /** The bound port (useful with port 0); valid after a successful start. */
  public int port() {
    if (server == null) {
      throw new IllegalStateException("the demo platform has not started");
    }
    return server.actualPort();
  }

  /** {@code http://host:port} of the running platform. */
  public String url() {
    return "http://" + (settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host()) + ":" + port();
  }

  /**
   * The values of Rebound's {@code template_env} variables for this platform: service URLs, the
   * store directories and the admin token. What a configuration must hold for the bundled runbooks
   * to act on this instance (the defaults in rebound.yaml match a platform on port 8090 started in
   * Rebound's working directory).
   */
  public Map<String, String> templateEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    String url = url();
    env.put("FEATURES_URL", url + "/features");
    env.put("REGISTRY_URL", url + "/registry");
    env.put("SERVING_URL", url + "/serving");
    env.put("SERVING_STANDBY_URL", url + "/serving-standby");
    env.put("GATEWAY_URL", url + "/gateway");
    env.put("RAG_URL", url + "/rag");
    env.put("PIPELINE_URL", url + "/pipeline");
    env.put("MODEL_STORE_DIR", settings.modelsDir().toString());
    env.put("DATASET_STORE_DIR", settings.datasetsDir().toString());
    env.put("DEMO_ADMIN_TOKEN", settings.adminToken());
    return env;
  }

  Pool pool() {
    return pool;
  }

  Vertx vertx() {
    return vertx;
  }

  FeatureStore featureStore() {
    return featureStore;
  }

  ServingInstance primary() {
    return primary;
  }

  Set<String> degenerate() {
    return degenerate;
  }

  KnowledgeBase knowledgeBase() {
    return knowledgeBase;
  }
}
