package dev.rebound.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.AuditQuery;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.audit.Superuser;
import dev.rebound.db.Database;
import dev.rebound.db.TokenStore;
import dev.rebound.inventory.Role;
import dev.rebound.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/audit/verify} from many viewers at once walks the chain once, and every one of
 * them gets that walk's verdict; a request after the walk ended walks again, so a change made in
 * between is found. The walk is held in flight by a lock on audit_pending (its seal waits for it), so all requests surely
 * arrive while it runs; the walks are counted both by the route's meter and by the database's
 * own view of the queries waiting on that lock.
 */
@ExtendWith(VertxExtension.class)
class AuditVerifySharedIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  private static final int ENTRIES = 6;
  private static final int CALLERS = 10;

  private static Database database;
  private static PrometheusMeterRegistry registry;
  private static WebClient client;
  private static List<String> viewers;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    database = db.database(vertx).await(30, SECONDS);
    PgAuditLog log = new PgAuditLog(database.pool(), Masker.none());
    for (int i = 1; i <= ENTRIES; i++) {
      log.append(AuditEvent.of(ActorType.HUMAN, "alice", "run.proposed", "run", "run-" + i)).await(10, SECONDS);
    }
    TokenStore tokens = new TokenStore(database.pool());
    viewers = new ArrayList<>();
    for (String person : List.of("grace", "hana")) {
      viewers.add(tokens.issue(person, Role.VIEWER, "test").await(10, SECONDS).token());
    }
    registry = Metrics.newRegistry();
    HttpServerVerticle server = HttpServerVerticle.builder(db.config(Map.of("REBOUND_HTTP_PORT", "0")), database)
        .meterRegistry(registry)
        .routes(new AuditRoutes(new AuditQuery(database.pool()), new AuditVerifier(database.pool()), registry))
        .build();
    vertx.deployVerticle(server).await(30, SECONDS);
    // More connections than callers: the client must not queue requests behind the held walk.
    client = WebClient.create(vertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()),
        new PoolOptions().setHttp1MaxSize(CALLERS * 2));
  }

  @AfterAll
  static void close() throws Exception {
    client.close();
    database.close().await(10, SECONDS);
  }

  @Test
  void concurrent_viewers_share_one_walk_and_a_later_request_finds_tampering() throws Exception {
    List<Future<HttpResponse<Buffer>>> responses = new ArrayList<>();
    try (Connection holder = db.jdbc()) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute("lock table audit_pending in access exclusive mode");
      }
      for (int i = 0; i < CALLERS; i++) {
        responses.add(verify(viewers.get(i % viewers.size())));
      }
      waitFor(() -> requests("started") + requests("joined") == CALLERS && queriesWaitingOnTheLock(holder) > 0);
      Thread.sleep(300);
      assertThat(requests("started")).isEqualTo(1);
      assertThat(queriesWaitingOnTheLock(holder)).as("walks the database is running").isEqualTo(1);
      holder.rollback();
    }

    JsonObject intact = new JsonObject().put("ok", true).put("entries_checked", ENTRIES)
        .putNull("first_broken_seq").putNull("reason").put("pending", 0)
        .put("summary", "audit chain intact: " + ENTRIES + " entries");
    for (Future<HttpResponse<Buffer>> response : responses) {
      HttpResponse<Buffer> done = response.await(30, SECONDS);
      assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(200);
      assertThat(done.bodyAsJsonObject()).isEqualTo(intact);
    }

    Superuser.assumeAvailable(db.url());
    Superuser.run(db.url(), "alter table audit_log disable trigger audit_log_append_only;"
        + " update audit_log set actor_id = 'mallory' where seq = 3;"
        + " alter table audit_log enable trigger audit_log_append_only;");
    HttpResponse<Buffer> after = verify(viewers.get(0)).await(30, SECONDS);
    assertThat(after.bodyAsJsonObject().getBoolean("ok")).as(after.bodyAsString()).isFalse();
    assertThat(after.bodyAsJsonObject().getLong("first_broken_seq")).isEqualTo(3);
    assertThat(requests("started")).as("a request after the walk ended walks again").isEqualTo(2);
  }

  private static Future<HttpResponse<Buffer>> verify(String token) {
    return client.request(HttpMethod.GET, "/api/audit/verify").bearerTokenAuthentication(token).send();
  }

  private static long requests(String walk) {
    return (long) registry.get("rebound.audit.verify.requests").tag("walk", walk).counter().count();
  }

  /** Backends of this database (other than {@code holder}) waiting for a lock: walks stuck behind it. */
  private static int queriesWaitingOnTheLock(Connection holder) {
    try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery(
        "select count(*) from pg_stat_activity where datname = current_database()"
            + " and pid <> pg_backend_pid() and wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getInt(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as("condition met within 20 s").isTrue();
      Thread.sleep(20);
    }
  }
}
