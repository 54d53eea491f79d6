package dev.rebound.audit;

import static dev.rebound.audit.ConcurrentWriters.loop;
import static dev.rebound.audit.ConcurrentWriters.whileTrue;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.db.Database;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AuditLog#appendChained} (V20's audit_append_chained): a transaction's last statement
 * chains its entries in that transaction when nobody holds the chain's head, and appends them
 * pending, without waiting, when someone does. Transactions here are BEGIN/COMMIT statements on a
 * connection, as the engine's, so nothing seals on their behalf.
 */
@ExtendWith(VertxExtension.class)
class AppendChainedIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private Database database;
  private Pool pool;
  private PgAuditLog log;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    database = db.database(vertx).await(30, SECONDS);
    pool = database.pool();
    log = new PgAuditLog(pool, Masker.none());
  }

  @AfterEach
  void tearDown() throws Exception {
    database.close().await(10, SECONDS);
  }

  @Test
  void with_the_head_free_the_entries_are_chained_by_the_transactions_own_commit() throws Exception {
    long before = lastSeq();

    Appended appended = commit(List.of(event(0, 1), event(0, 2))).await(10, SECONDS);
    long chainedAtCommit = lastSeq();
    List<AuditEntry> entries = log.committed(appended).await(10, SECONDS);

    assertThat(appended.pending()).isEmpty();
    assertThat(chainedAtCommit).as("in the chain once COMMIT answered, no seal needed").isEqualTo(before + 2);
    assertThat(count("select count(*) from audit_pending")).isZero();
    assertThat(entries).extracting(AuditEntry::seq).containsExactly(before + 1, before + 2);
    assertThat(entries).extracting(e -> e.details().path("i").asInt()).containsExactly(1, 2);
    assertThat(entries.get(1).prevHash()).isEqualTo(entries.get(0).hash());
    assertThat(new AuditVerifier(pool).verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(before + 2));
  }

  @Test
  void entries_committed_pending_before_are_chained_first() throws Exception {
    long before = lastSeq();
    PendingEntry earlier = pool.getConnection().compose(conn -> conn.query("BEGIN").execute()
            .compose(begun -> log.append(conn, event(1, 0)))
            .compose(p -> conn.query("COMMIT").execute().map(p))
            .eventually(conn::close))
        .await(10, SECONDS);

    List<AuditEntry> ours = log.committed(commit(List.of(event(2, 0))).await(10, SECONDS)).await(10, SECONDS);
    AuditEntry sealedEarlier = log.sealed(List.of(earlier)).await(10, SECONDS).get(0);

    assertThat(sealedEarlier.seq()).isEqualTo(before + 1);
    assertThat(ours).singleElement().satisfies(e -> {
      assertThat(e.seq()).isEqualTo(before + 2);
      assertThat(e.prevHash()).isEqualTo(sealedEarlier.hash());
    });
    assertThat(count("select count(*) from audit_pending")).isZero();
  }

  @Test
  void while_another_transaction_holds_the_head_the_entries_go_pending_without_waiting() throws Exception {
    long before = lastSeq();
    SqlConnection holder = pool.getConnection().await(10, SECONDS);
    try {
      holder.query("BEGIN").execute().await(10, SECONDS);
      Appended first = log.appendChained(holder, List.of(event(3, 0))).await(10, SECONDS);

      // The head is locked by the open transaction: this one must not wait for it.
      Appended second = commit(List.of(event(4, 0))).await(5, SECONDS);
      assertThat(second.pending()).hasSize(1);
      assertThat(count("select count(*) from audit_pending")).isEqualTo(1);

      Future<List<AuditEntry>> sealedSecond = log.committed(second);
      holder.query("COMMIT").execute().await(10, SECONDS);
      AuditEntry a = log.committed(first).await(10, SECONDS).get(0);
      AuditEntry b = sealedSecond.await(10, SECONDS).get(0);

      assertThat(first.pending()).isEmpty();
      assertThat(a.seq()).isEqualTo(before + 1);
      assertThat(b.seq()).as("sealed once the holder committed").isEqualTo(before + 2);
    } finally {
      holder.close().await(10, SECONDS);
    }
    assertThat(new AuditVerifier(pool).verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(before + 2));
  }

  /**
   * Chaining in the transaction pays only for a transition alone: with others of this process on
   * their way to the chain, it would seal their entries one short chain at a time while their seals
   * queue behind its commit (AuditAppendBench). Here the first transaction is still open (its append
   * waits behind a slow statement of its own) while the second appends: the second goes pending
   * though the head is free.
   */
  @Test
  void while_another_append_of_this_process_is_in_flight_the_entries_go_pending_though_the_head_is_free()
      throws Exception {
    long before = lastSeq();
    SqlConnection slow = pool.getConnection().await(10, SECONDS);
    SqlConnection other = pool.getConnection().await(10, SECONDS);
    Appended first;
    Appended second;
    try {
      slow.query("BEGIN").execute().await(10, SECONDS);
      other.query("BEGIN").execute().await(10, SECONDS);
      slow.query("select pg_sleep(0.5)").execute();
      Future<Appended> inFlight = log.appendChained(slow, List.of(event(61, 0)));
      second = log.appendChained(other, List.of(event(62, 0))).await(10, SECONDS);
      assertThat(inFlight.isComplete()).as("still behind the sleep").isFalse();
      assertThat(second.pending()).hasSize(1);
      other.query("COMMIT").execute().await(10, SECONDS);
      first = inFlight.await(10, SECONDS);
      slow.query("COMMIT").execute().await(10, SECONDS);
    } finally {
      slow.close().await(10, SECONDS);
      other.close().await(10, SECONDS);
    }
    List<AuditEntry> chained = log.committed(first).await(10, SECONDS);
    AuditEntry pending = log.committed(second).await(10, SECONDS).get(0);

    assertThat(first.pending()).as("alone when it was made: chained in its transaction").isEmpty();
    assertThat(chained).extracting(AuditEntry::seq).as("the pending entry, committed first, sealed first")
        .containsExactly(before + 2);
    assertThat(pending.seq()).isEqualTo(before + 1);
    Appended third = commit(List.of(event(64, 0))).await(10, SECONDS);
    assertThat(third.pending()).as("both ended: alone again").isEmpty();
    assertThat(log.committed(third).await(10, SECONDS).get(0).seq()).isEqualTo(before + 3);
    assertThat(new AuditVerifier(pool).verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(before + 3));
  }

  /** The same while this process's sealer is busy (here: waiting for a connection, all held). */
  @Test
  void while_this_process_is_sealing_the_entries_go_pending_though_the_head_is_free() throws Exception {
    long before = lastSeq();
    List<SqlConnection> held = new ArrayList<>();
    Future<Void> seal;
    Appended appended;
    try {
      while (held.size() < 8) {
        held.add(pool.getConnection().await(10, SECONDS));
      }
      seal = log.seal();
      SqlConnection conn = held.get(0);
      conn.query("BEGIN").execute().await(10, SECONDS);
      appended = log.appendChained(conn, List.of(event(63, 0))).await(10, SECONDS);
      assertThat(held.get(1).query("select 1 from audit_head for update skip locked").execute().await(10, SECONDS))
          .as("the head is free").hasSize(1);
      conn.query("COMMIT").execute().await(10, SECONDS);
      assertThat(seal.isComplete()).as("the seal still waits for a connection").isFalse();
    } finally {
      for (SqlConnection conn : held) {
        conn.close().await(10, SECONDS);
      }
    }
    seal.await(10, SECONDS);
    AuditEntry entry = log.committed(appended).await(10, SECONDS).get(0);

    assertThat(appended.pending()).hasSize(1);
    assertThat(entry.seq()).isEqualTo(before + 1);
    assertThat(new AuditVerifier(pool).verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(before + 1));
  }

  @Test
  void a_rolled_back_transaction_leaves_no_entry_no_gap_and_a_free_head() throws Exception {
    long before = lastSeq();
    SqlConnection conn = pool.getConnection().await(10, SECONDS);
    try {
      conn.query("BEGIN").execute().await(10, SECONDS);
      Appended appended = log.appendChained(conn, List.of(event(50, 0))).await(10, SECONDS);
      assertThat(appended.pending()).as("chained in the transaction").isEmpty();
      conn.query("ROLLBACK").execute().await(10, SECONDS);
      log.rolledBack(appended);
    } finally {
      conn.close().await(10, SECONDS);
    }
    AuditEntry next = log.append(event(51, 0)).await(10, SECONDS);
    Appended after = commit(List.of(event(52, 0))).await(10, SECONDS);

    assertThat(next.seq()).isEqualTo(before + 1);
    assertThat(count("select count(*) from audit_log where actor_id = 'writer-50'")).isZero();
    assertThat(after.pending()).as("told it ended, the rolled-back transaction no longer counts as open").isEmpty();
    assertThat(log.committed(after).await(10, SECONDS).get(0).seq()).isEqualTo(before + 2);
  }

  /** FOR UPDATE on a head that moved after the snapshot would fail the caller: pending instead. */
  @Test
  void under_repeatable_read_the_entries_go_pending_even_when_the_head_moved_since_the_snapshot() throws Exception {
    long before = lastSeq();
    SqlConnection conn = pool.getConnection().await(10, SECONDS);
    Appended appended;
    try {
      conn.query("BEGIN ISOLATION LEVEL REPEATABLE READ").execute().await(10, SECONDS);
      conn.query("select count(*) from audit_log").execute().await(10, SECONDS);
      log.append(event(7, 0)).await(10, SECONDS);
      appended = log.appendChained(conn, List.of(event(8, 0))).await(10, SECONDS);
      conn.query("COMMIT").execute().await(10, SECONDS);
    } finally {
      conn.close().await(10, SECONDS);
    }
    AuditEntry entry = log.committed(appended).await(10, SECONDS).get(0);

    assertThat(appended.pending()).hasSize(1);
    assertThat(entry.seq()).isEqualTo(before + 2);
    assertThat(new AuditVerifier(pool).verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(before + 2));
  }

  @Test
  void concurrent_transactions_standalone_appends_and_seals_keep_one_intact_chain_in_each_writers_order()
      throws Exception {
    long before = lastSeq();
    int writers = 6;
    int each = 40;
    AtomicBoolean writing = new AtomicBoolean(true);
    Future<Void> sealing = whileTrue(writing, () -> log.seal());
    Future<Void> standalone = whileTrue(writing, () -> log.append(event(99, 0)).mapEmpty());
    List<Future<Void>> running = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      running.add(loop(each, i -> commit(List.of(event(writer, 2 * i), event(writer, 2 * i + 1)))
          .compose(log::committed)));
    }
    Future.all(running).await(120, SECONDS);
    writing.set(false);
    Future.all(sealing, standalone).await(30, SECONDS);
    log.seal().await(10, SECONDS);
    long standaloneCount = count("select count(*) from audit_log where actor_id = 'writer-99' and seq > " + before);

    assertThat(new AuditVerifier(pool, 50).verify().await(60, SECONDS))
        .isEqualTo(VerifyResult.intact(before + writers * each * 2 + standaloneCount));
    assertThat(count("select count(*) from audit_pending")).isZero();
    for (int w = 0; w < writers; w++) {
      assertThat(longs("select (details->>'i')::bigint from audit_log where actor_id = 'writer-" + w
          + "' and seq > " + before + " order by seq"))
          .as("writer %d: each transaction committed before the next began", w)
          .hasSize(each * 2).isSorted().doesNotHaveDuplicates();
    }
  }

  /** BEGIN, the chained append, COMMIT: one transaction, as the engine's. */
  private Future<Appended> commit(List<AuditEvent> events) {
    return pool.getConnection().compose(conn -> conn.query("BEGIN").execute()
        .compose(begun -> log.appendChained(conn, events))
        .compose(appended -> conn.query("COMMIT").execute().map(appended))
        .eventually(conn::close));
  }

  private static AuditEvent event(int writer, int i) {
    return AuditEvent.of(ActorType.SYSTEM, "writer-" + writer, "step.started", "step", "run/s" + i)
        .withDetails(Map.of("i", i));
  }

  private static long lastSeq() throws SQLException {
    return count("select coalesce(max(seq), 0) from audit_log");
  }

  private static long count(String sql) throws SQLException {
    return longs(sql).get(0);
  }

  private static List<Long> longs(String sql) throws SQLException {
    return ConcurrentWriters.longs(db, sql);
  }
}
