package dev.rebound.http;

import dev.rebound.config.HttpSettings;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.Database;
import dev.rebound.db.TokenStore;
import dev.rebound.health.ReadinessCheck;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebound's HTTP server. {@link #start()} returns the listen future, so a port already in use
 * fails the deployment instead of leaving a verticle that serves nothing. Build one with
 * {@link #builder(ReboundConfig, Database)}; feature packages contribute {@link ApiRoutes}.
 *
 * <pre>{@code
 * HttpServerVerticle http = HttpServerVerticle.builder(config, database)
 *     .routes(new RunbookRoutes(...), new RunRoutes(...))
 *     .readinessCheck(index.readinessCheck())
 *     .meterRegistry(registry)
 *     .build();
 * vertx.deployVerticle(http).await();   // fails if the port is taken
 * int port = http.actualPort();
 * }</pre>
 *
 * Deploy one instance per wiring (it holds the server it started); the database pool is owned by
 * the caller and not closed here.
 */
public final class HttpServerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServerVerticle.class);

  private final Builder wiring;
  private volatile HttpServer server;
  private volatile Router router;

  private HttpServerVerticle(Builder wiring) {
    this.wiring = wiring;
  }

  public static Builder builder(ReboundConfig config, Database database) {
    return new Builder(config, database);
  }

  @Override
  public Future<?> start() {
    HttpSettings http = wiring.config.http();
    router = router();
    // A form field as large as the body limit: Slack sends a button press or form submission with
    // the whole message or view in one field, and Vert.x's default (8 kB) refused it with a bare 400.
    int formField = (int) Math.min(Integer.MAX_VALUE, http.bodyLimitBytes());
    return vertx.createHttpServer(new HttpServerOptions().setHost(http.host()).setPort(http.port())
            .setMaxInitialLineLength(InvalidRequests.MAX_REQUEST_LINE)
            .setMaxFormAttributeSize(formField)
            .setMaxFormBufferedBytes(formField))
        .requestHandler(router)
        .invalidRequestHandler(new InvalidRequests())
        .listen()
        .onSuccess(started -> {
          server = started;
          LOG.info("HTTP server listening on {}:{}", http.host(), started.actualPort());
        });
  }

  /** The bound port (useful with port 0); only valid after a successful start. */
  public int actualPort() {
    if (server == null) {
      throw new IllegalStateException("the HTTP server has not started");
    }
    return server.actualPort();
  }

  /** Every route mounted, so a test can check each one's role (RouteRolesIT); only valid after start. */
  List<io.vertx.ext.web.Route> routes() {
    if (router == null) {
      throw new IllegalStateException("the HTTP server has not started");
    }
    return router.getRoutes();
  }

  /** The registry {@code /metrics} exposes; other components may register meters on it. */
  public PrometheusMeterRegistry meterRegistry() {
    return wiring.registry;
  }

  private Router router() {
    TokenStore tokens = new TokenStore(wiring.database.pool());
    Authz authz = new Authz(new BearerAuthenticator(wiring.config.adminToken(), tokens, wiring.tokenCacheTtl));
    List<ReadinessCheck> checks = new ArrayList<>();
    checks.add(wiring.database.readinessCheck());
    checks.addAll(wiring.readinessChecks);
    return RouterAssembly.build(vertx, wiring.config.http(), wiring.registry, checks, authz, wiring.routes,
        wiring.database.url());
  }

  /** Wiring for the verticle; everything but config and database has a default. */
  public static final class Builder {
    private final ReboundConfig config;
    private final Database database;
    private final List<ApiRoutes> routes = new ArrayList<>(List.of(new WhoAmIRoutes()));
    private final List<ReadinessCheck> readinessChecks = new ArrayList<>();
    private PrometheusMeterRegistry registry;
    private Duration tokenCacheTtl = Duration.ofSeconds(5);

    private Builder(ReboundConfig config, Database database) {
      this.config = Objects.requireNonNull(config, "config");
      this.database = Objects.requireNonNull(database, "database");
    }

    /** Adds route groups, mounted in the order given (after {@code /api/whoami}). */
    public Builder routes(ApiRoutes... groups) {
      routes.addAll(List.of(groups));
      return this;
    }

    /** Adds a readiness check beside the database's own. */
    public Builder readinessCheck(ReadinessCheck check) {
      readinessChecks.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    /** The registry to expose; default a new one with JVM meters bound. */
    public Builder meterRegistry(PrometheusMeterRegistry meterRegistry) {
      this.registry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * How long a token lookup is reused (default 5 s). It bounds how long a revoked token still
     * works; zero disables the cache.
     */
    public Builder tokenCacheTtl(Duration ttl) {
      this.tokenCacheTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    public HttpServerVerticle build() {
      if (registry == null) {
        registry = Metrics.newRegistry();
      }
      return new HttpServerVerticle(this);
    }
  }
}
