package dev.rebound.audit;

import static dev.rebound.audit.ConcurrentWriters.loop;
import static dev.rebound.audit.ConcurrentWriters.whileTrue;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.db.Database;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sealing pending entries into the chain (audit_seal, AuditSealer) against concurrent writers and
 * concurrent sealers in several "replicas" (each its own pool and PgAuditLog on one database).
 * Writers here commit with BEGIN/COMMIT statements, as the engine does, so nothing seals on their
 * behalf unless the test says so.
 */
@ExtendWith(VertxExtension.class)
class AuditSealerIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private final List<Database> replicas = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    for (int i = 0; i < 3; i++) {
      replicas.add(db.database(vertx).await(30, SECONDS));
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Database d : replicas) {
      d.close().await(10, SECONDS);
    }
  }

  @Test
  void entries_of_concurrent_writers_are_sealed_in_each_writers_order_and_the_chain_verifies() throws Exception {
    long before = count("select coalesce(max(seq), 0) from audit_log");
    Pool pool = replicas.get(0).pool();
    PgAuditLog log = new PgAuditLog(pool, Masker.none());
    int writers = 8;
    int each = 60;

    List<Future<Void>> running = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      // Half nudge the seal after their commit (as the engine does), half leave it to the next one.
      running.add(loop(each, i -> commit(pool, log, event(writer, i))
          .compose(p -> writer % 2 == 0 ? log.sealed(List.of(p)).mapEmpty() : Future.succeededFuture())));
    }
    Future.all(running).await(120, SECONDS);
    VerifyResult result = new AuditVerifier(pool, 50).verify().await(60, SECONDS);

    assertThat(result).isEqualTo(VerifyResult.intact(before + writers * each));
    for (int w = 0; w < writers; w++) {
      List<Long> order = longs("select (details->>'i')::bigint from audit_log where actor_id = 'writer-" + w
          + "' and seq > " + before
          + " order by seq");
      assertThat(order).as("writer %d: each append committed before the next began", w)
          .hasSize(each).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void concurrent_sealers_in_several_replicas_seal_every_committed_entry_exactly_once() throws Exception {
    long before = count("select coalesce(max(seq), 0) from audit_log");
    List<PgAuditLog> logs = replicas.stream().map(d -> new PgAuditLog(d.pool(), Masker.none())).toList();
    Set<Long> written = ConcurrentHashMap.newKeySet();
    AtomicBoolean writing = new AtomicBoolean(true);
    int writers = 6;
    int each = 50;

    // Sealers: each replica's coalescing sealer in a loop, and raw audit_seal calls in tiny batches.
    List<Future<Void>> sealers = new ArrayList<>();
    for (int r = 0; r < replicas.size(); r++) {
      PgAuditLog log = logs.get(r);
      Pool pool = replicas.get(r).pool();
      sealers.add(whileTrue(writing, () -> log.seal()));
      sealers.add(whileTrue(writing, () -> pool.query("select * from audit_seal(3)").execute().mapEmpty()));
    }
    List<Future<Void>> running = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Database replica = replicas.get(w % replicas.size());
      PgAuditLog log = logs.get(w % replicas.size());
      running.add(loop(each, i -> {
        // Every fifth transaction rolls back after its append: it must leave nothing behind.
        if (i % 5 == 4) {
          return rolledBack(replica.pool(), log, event(writer, i));
        }
        return commit(replica.pool(), log, event(writer, i)).onSuccess(p -> written.add(p.id())).mapEmpty();
      }));
    }
    Future.all(running).await(120, SECONDS);
    writing.set(false);
    Future.all(sealers).await(60, SECONDS);
    VerifyResult result = new AuditVerifier(replicas.get(1).pool()).verify().await(60, SECONDS);

    int committed = writers * (each - each / 5);
    assertThat(written).hasSize(committed);
    assertThat(result).isEqualTo(VerifyResult.intact(before + committed));
    assertThat(count("select count(*) from audit_pending")).isZero();
    assertThat(count("select count(*) from audit_log where action = 'step.rolled_back'")).isZero();
    Map<Long, Long> sealedTimes = new HashMap<>();
    for (Row row : replicas.get(0).pool().query("select pending_id, count(*) as n from audit_log"
        + " where seq > " + before + " group by pending_id").execute().await(10, SECONDS)) {
      sealedTimes.put(row.getLong("pending_id"), row.getLong("n"));
    }
    assertThat(sealedTimes.keySet()).as("every entry committed here is in the chain, nothing else")
        .isEqualTo(new HashSet<>(written));
    assertThat(sealedTimes.values()).as("each exactly once").containsOnly(1L);
  }

  @Test
  void an_entry_committed_in_one_replica_is_seen_by_a_reader_in_another_right_after_the_commit() throws Exception {
    PgAuditLog writerLog = new PgAuditLog(replicas.get(0).pool(), Masker.none());
    AuditQuery reader = new AuditQuery(replicas.get(1).pool());

    PendingEntry pending = commit(replicas.get(0).pool(), writerLog, event(0, 1).withRun("run-ryw"))
        .await(10, SECONDS);
    List<AuditEntry> seen = reader.find(AuditFilter.all().run("run-ryw")).await(10, SECONDS);
    List<AuditEntry> sealed = writerLog.sealed(List.of(pending)).await(10, SECONDS);

    assertThat(seen).hasSize(1);
    assertThat(sealed).as("sealed by the reader's replica, found by the writer's").isEqualTo(seen);
  }

  @Test
  void pending_rows_refuse_deletion_outside_a_seal() throws Exception {
    commit(replicas.get(0).pool(), new PgAuditLog(replicas.get(0).pool(), Masker.none()), event(0, 0))
        .await(10, SECONDS);

    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("delete from audit_pending"))
          .isInstanceOf(SQLException.class).hasMessageContaining("only moved into audit_log by audit_seal");
    }
    assertThat(count("select count(*) from audit_pending")).isEqualTo(1);
    assertThat(new AuditVerifier(replicas.get(0).pool()).verify().await(10, SECONDS).pending()).isZero();
  }

  /** BEGIN, the append, COMMIT: statements on a connection, so no Vert.x Transaction nudges a seal. */
  private static Future<PendingEntry> commit(Pool pool, PgAuditLog log, AuditEvent event) {
    return pool.getConnection().compose(conn -> conn.query("BEGIN").execute()
        .compose(begun -> log.append(conn, event))
        .compose(pending -> conn.query("COMMIT").execute().map(pending))
        .eventually(conn::close));
  }

  private static Future<Void> rolledBack(Pool pool, PgAuditLog log, AuditEvent event) {
    AuditEvent rolledBack = AuditEvent.of(event.actorType(), event.actorId(), "step.rolled_back",
        event.subjectType(), event.subjectId());
    return pool.getConnection().compose(conn -> conn.query("BEGIN").execute()
        .compose(begun -> log.append(conn, rolledBack))
        .compose(pending -> conn.query("ROLLBACK").execute())
        .eventually(conn::close)).mapEmpty();
  }

  private static AuditEvent event(int writer, int i) {
    return AuditEvent.of(ActorType.SYSTEM, "writer-" + writer, "step.started", "step", "run/s" + i)
        .withDetails(Map.of("i", i));
  }

  private static long count(String sql) throws SQLException {
    return longs(sql).get(0);
  }

  private static List<Long> longs(String sql) throws SQLException {
    return ConcurrentWriters.longs(db, sql);
  }
}
