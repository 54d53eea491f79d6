package dev.rebound.demo;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's own connection pool to the database its schemas live in (Rebound's, by default).
 * Every connection starts with {@code TimeZone=UTC} (event dates and partitions are UTC days, as
 * in the runbooks' sessions) and a search_path over the four demo schemas, so the contract's
 * functions, whose bodies use unqualified names like the runbooks do, work when the demo calls
 * them too. The table names of the four schemas do not overlap.
 */
final class DemoDb {
  static final String SEARCH_PATH = "demo_features, demo_registry, demo_rag, demo_warehouse, public";
  private static final int POOL_SIZE = 6;

  private DemoDb() {}

  static Pool pool(Vertx vertx, DatabaseUrl url) {
    Map<String, String> properties = new HashMap<>(PgConnectOptions.DEFAULT_PROPERTIES);
    properties.put("TimeZone", "UTC");
    properties.put("search_path", SEARCH_PATH);
    properties.put("application_name", "rebound-demo");
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(url.host())
        .setPort(url.port())
        .setDatabase(url.database())
        .setUser(url.user())
        .setPassword(url.password().map(Secret::reveal).orElse("")) // null is refused, as in Database
        .setProperties(properties);
    url.sslMode().ifPresent(mode -> {
      connect.setSslMode(SslMode.of(mode));
      if (!mode.equals("disable")) {
        connect.setSslOptions(new ClientSSLOptions().setTrustAll(true));
      }
    });
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(POOL_SIZE).setName("rebound-demo")
            .setConnectionTimeout(5_000).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new NetClientOptions().setConnectTimeout(5_000))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  /** Runs a SQL script from the class path (several statements, simple protocol) on one connection. */
  static Future<Void> runScript(Pool pool, String resource) {
    String sql = resource(resource);
    return pool.withConnection(conn -> conn.query(sql).execute()).mapEmpty();
  }

  static String resource(String name) {
    try (InputStream in = DemoDb.class.getResourceAsStream("/demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource /demo/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
