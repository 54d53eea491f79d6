package dev.rebound.audit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(VertxExtension.class)
class PgAuditLogIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension static final TestDatabase blocked = TestDatabase.create();

  private static final String SECRET = "sk-live-0123456789abcdef";

  private Pool pool;
  private PgAuditLog log;
  private AuditVerifier verifier;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    pool = db.database(vertx).await(30, SECONDS).pool();
    log = new PgAuditLog(pool, Masker.of(Set.of(SECRET)));
    // A small page so that every test also walks several pages.
    verifier = new AuditVerifier(pool, 7);
  }

  @Test
  void appends_link_each_entry_to_the_one_before_and_verify() throws Exception {
    long before = lastSeq();
    Instant at = Instant.parse("2025-05-06T07:08:09.123456789Z");
    PgAuditLog fixedClock = new PgAuditLog(pool, Masker.none(), Clock.fixed(at, ZoneOffset.UTC));

    AuditEntry first = fixedClock.append(event("runbook.approved")).await(10, SECONDS);
    AuditEntry second = inTransaction(event("step.started").withRun("run-7")).await(10, SECONDS);

    assertThat(first.seq()).isEqualTo(before + 1);
    assertThat(second.seq()).isEqualTo(before + 2);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(first.at()).isEqualTo(Instant.parse("2025-05-06T07:08:09.123456Z"));
    assertThat(stored(first.seq()).at()).as("the stored time is the hashed time").isEqualTo(first.at());
    assertThat(stored(second.seq())).isEqualTo(second);
    assertThat(verifier.verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(before + 2));
  }

  @Test
  void the_first_entry_starts_from_64_zeros() throws Exception {
    log.append(event("system.started")).await(10, SECONDS);

    assertThat(stored(1).prevHash()).isEqualTo("0".repeat(64));
  }

  @Test
  void an_entry_appended_in_a_transaction_that_rolls_back_leaves_no_trace_and_no_gap() throws Exception {
    long before = lastSeq();

    assertThatThrownBy(() -> pool.withTransaction(tx -> tx
            .preparedQuery("insert into runbook_approvals (runbook_id, version, content_hash, approved_by)"
                + " values ($1, 1, $2, 'bob')")
            .execute(Tuple.of("rolled-back", "a".repeat(64)))
            .compose(state -> log.append(tx, event("runbook.approved")))
            .compose(entry -> Future.<Void>failedFuture(new IllegalStateException("the step failed"))))
        .await(10, SECONDS))
        .hasMessage("the step failed");
    AuditEntry next = log.append(event("runbook.rejected")).await(10, SECONDS);

    assertThat(next.seq()).isEqualTo(before + 1);
    assertThat(count("select count(*) from runbook_approvals where runbook_id = 'rolled-back'")).isZero();
    assertThat(count("select count(*) from audit_log where action = 'runbook.approved' and seq > " + before)).isZero();
    assertThat(verifier.verify().await(30, SECONDS).ok()).isTrue();
  }

  /** Under REPEATABLE READ a stale snapshot must fail the seal, never chain onto an old head. */
  @Test
  void a_seal_in_a_repeatable_read_transaction_behind_a_newer_seal_fails_instead_of_forking_the_chain()
      throws Exception {
    // Committed without a Vert.x Transaction, so nothing nudges a seal: it stays pending.
    SqlConnection writer = pool.getConnection().await(10, SECONDS);
    writer.query("BEGIN").execute().await(10, SECONDS);
    log.append(writer, event("step.started")).await(10, SECONDS);
    writer.query("COMMIT").execute().await(10, SECONDS);
    writer.close().await(10, SECONDS);
    SqlConnection conn = pool.getConnection().await(10, SECONDS);
    try {
      Transaction tx = conn.begin().await(10, SECONDS);
      conn.query("set transaction isolation level repeatable read").execute().await(10, SECONDS);
      conn.query("select count(*) from audit_pending").execute().await(10, SECONDS);
      log.append(event("tool.called")).await(10, SECONDS);

      assertThatThrownBy(() -> conn.query("select * from audit_seal(10)").execute().await(10, SECONDS))
          .hasMessageContaining("could not serialize access due to concurrent update");
      tx.rollback().await(10, SECONDS);
    } finally {
      conn.close().await(10, SECONDS);
    }
    assertThat(verifier.verify().await(30, SECONDS).ok()).isTrue();
    assertThat(count("select count(*) from audit_log where action = 'step.started'")).isEqualTo(1);
  }

  /** The caller's transaction may use any isolation level: the append takes no lock of the chain. */
  @Test
  void an_append_in_a_repeatable_read_transaction_is_chained_after_what_was_sealed_meanwhile() throws Exception {
    long before = lastSeq();
    SqlConnection conn = pool.getConnection().await(10, SECONDS);
    PendingEntry pending;
    try {
      Transaction tx = conn.begin().await(10, SECONDS);
      conn.query("set transaction isolation level repeatable read").execute().await(10, SECONDS);
      conn.query("select count(*) from audit_log").execute().await(10, SECONDS);
      log.append(event("tool.called")).await(10, SECONDS);
      pending = log.append(conn, event("step.started")).await(10, SECONDS);
      tx.commit().await(10, SECONDS);
    } finally {
      conn.close().await(10, SECONDS);
    }
    AuditEntry entry = log.sealed(List.of(pending)).await(10, SECONDS).get(0);

    assertThat(entry.seq()).isEqualTo(before + 2);
    assertThat(entry.action()).isEqualTo("step.started");
    assertThat(verifier.verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(before + 2));
  }

  @Test
  void the_application_role_cannot_update_delete_or_truncate_entries() throws Exception {
    log.append(event("tool.called")).await(10, SECONDS);

    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("update audit_log set actor_id = 'mallory'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for table audit_log");
      assertThatThrownBy(() -> s.execute("delete from audit_log"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for table audit_log");
      assertThatThrownBy(() -> s.execute("truncate audit_log"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for table audit_log");
      assertThatThrownBy(() -> s.execute("delete from audit_head"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for table audit_head");
      assertThatThrownBy(() -> s.execute("update audit_pending set actor_id = 'mallory'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for table audit_pending");
      assertThatThrownBy(() -> s.execute("truncate audit_pending"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for table audit_pending");
      assertThatThrownBy(() -> s.execute("delete from audit_pending"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("audit_pending rows are only moved into audit_log by audit_seal (DELETE refused)");
    }
  }

  /** The owner can grant itself the privileges back; the trigger still refuses. */
  @Test
  void the_trigger_refuses_changes_even_when_the_owner_regrants_itself_the_privileges() throws Exception {
    log.append(event("tool.called")).await(10, SECONDS);

    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("grant update, delete, truncate on audit_log to current_user");
      try {
        for (String sql : List.of("update audit_log set actor_id = 'mallory'", "delete from audit_log where false",
            "truncate audit_log")) {
          assertThatThrownBy(() -> s.execute(sql)).isInstanceOf(SQLException.class)
              .hasMessageContaining("audit_log is append-only");
        }
      } finally {
        s.execute("revoke update, delete, truncate on audit_log from current_user");
      }
    }
    assertThat(verifier.verify().await(30, SECONDS).ok()).isTrue();
  }

  @Test
  void concurrent_writers_get_gap_free_seqs_and_an_intact_chain() throws Exception {
    long before = lastSeq();
    int writers = 8;
    int appendsEach = 200;

    List<Future<Void>> running = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      running.add(writer(w, 0, appendsEach));
    }
    Future.all(running).await(120, SECONDS);

    long total = (long) writers * appendsEach;
    assertThat(count("select count(*) from audit_log where seq > " + before)).isEqualTo(total);
    assertThat(count("select max(seq) from audit_log")).isEqualTo(before + total);
    assertThat(count("select count(distinct seq) from audit_log")).isEqualTo(before + total);
    assertThat(verifier.verify().await(60, SECONDS)).isEqualTo(VerifyResult.intact(before + total));
  }

  @Test
  void appends_that_arrive_together_each_get_their_own_entry_as_returned() throws Exception {
    long before = lastSeq();

    List<Future<AuditEntry>> appends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      appends.add(log.append(event("tool.called").withDetails(Map.of("i", i))));
    }
    Future.all(appends).await(30, SECONDS);

    Set<Long> seqs = new java.util.HashSet<>();
    for (int i = 0; i < 50; i++) {
      AuditEntry entry = appends.get(i).result();
      assertThat(entry.details().get("i").asInt()).isEqualTo(i);
      assertThat(stored(entry.seq())).isEqualTo(entry);
      seqs.add(entry.seq());
    }
    assertThat(seqs).hasSize(50).allSatisfy(seq -> assertThat(seq).isBetween(before + 1, before + 50));
    assertThat(verifier.verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(before + 50));
  }

  @Test
  void entries_appended_together_in_one_transaction_are_chained_in_the_order_given() throws Exception {
    long before = lastSeq();
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(event("step.started").withDetails(Map.of("i", i)));
    }

    List<PendingEntry> pending = pool.withTransaction(tx -> log.appendAll(tx, events)).await(10, SECONDS);
    List<AuditEntry> sealed = log.sealed(pending).await(10, SECONDS);

    for (int i = 0; i < 30; i++) {
      assertThat(sealed.get(i).seq()).isEqualTo(before + 1 + i);
      assertThat(sealed.get(i).details().get("i").asInt()).isEqualTo(i);
    }
    assertThat(verifier.verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(before + 30));
  }

  @Test
  void every_append_completes_on_the_context_that_made_it(Vertx vertx, VertxTestContext test) {
    Context caller = vertx.getOrCreateContext();
    List<Context> seen = new CopyOnWriteArrayList<>();
    caller.runOnContext(v -> {
      List<Future<AuditEntry>> appends = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        appends.add(log.append(event("chat.message")).onSuccess(e -> seen.add(Vertx.currentContext())));
      }
      Future.all(appends).onComplete(test.succeeding(all -> test.verify(() -> {
        assertThat(seen).hasSize(20).allSatisfy(c -> assertThat(c).isSameAs(caller));
        test.completeNow();
      })));
    });
  }

  /**
   * A row written around the seal takes the next seq: every seal must fail, none half-written. A
   * standalone append's insert and seal are one transaction, so its entries are not kept either.
   */
  @Test
  void a_failed_seal_fails_every_standalone_append_in_it_and_commits_none_of_them(Vertx vertx)
      throws Exception {
    Pool other = blocked.database(vertx).await(30, SECONDS).pool();
    PgAuditLog otherLog = new PgAuditLog(other, Masker.none());
    AuditEntry first = otherLog.append(event("system.started")).await(10, SECONDS);
    // Correctly chained, but written by plain INSERT: the head does not know it.
    AuditEntry rogue = TestChains.entry(2, TestChains.START, AuditEvent.of(ActorType.HUMAN, "mallory", "x.y", "s", "s"),
        first.hash());
    try (Connection c = blocked.jdbc(); Statement s = c.createStatement()) {
      s.execute("insert into audit_log (seq, at, actor_type, actor_id, action, subject_type, subject_id, prev_hash,"
          + " hash) values (2, '" + ChainHash.formatAt(rogue.at()) + "', 'human', 'mallory', 'x.y', 's', 's', '"
          + rogue.prevHash() + "', '" + rogue.hash() + "')");
    }

    List<Future<AuditEntry>> appends = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      appends.add(otherLog.append(event("tool.called")));
    }
    Future.join(appends).otherwiseEmpty().await(30, SECONDS);

    assertThat(appends).allSatisfy(f -> assertThat(f.failed()).isTrue());
    try (Connection c = blocked.jdbc(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select (select last_seq from audit_head), (select count(*) from audit_log)")) {
      rs.next();
      assertThat(rs.getLong(1)).as("head unchanged").isEqualTo(1);
      assertThat(rs.getLong(2)).as("only the first entry and the rogue row").isEqualTo(2);
    }
    try (Connection c = blocked.jdbc(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from audit_pending")) {
      rs.next();
      assertThat(rs.getLong(1)).as("rolled back with the failed seal").isZero();
    }
    assertThat(new AuditVerifier(other).verify().await(30, SECONDS).summary()).isEqualTo(
        "audit chain BROKEN at entry #2: entry #2 is not recorded in audit_head (inserted around the append path)");
  }

  @Test
  void secret_values_are_masked_before_they_are_hashed_and_stored() throws Exception {
    JsonNode details = AuditJson.parse("{\"request\": {\"headers\": [\"Authorization: Bearer " + SECRET + "\"]},"
        + " \"" + SECRET + "\": \"as a key\", \"n\": 3}");

    AuditEntry entry = log.append(event("tool.called").withDetails(details)).await(10, SECONDS);

    String storedText = text("select details::text from audit_log where seq = " + entry.seq());
    assertThat(storedText).doesNotContain(SECRET).contains("Bearer ***").contains("\"***\": \"as a key\"");
    assertThat(entry.details().toString()).doesNotContain(SECRET);
    assertThat(verifier.verify().await(30, SECONDS).ok()).isTrue();
  }

  /** PostgreSQL hashes what Java prepared: any text PostgreSQL stores must hash alike on both sides. */
  @Test
  void awkward_text_and_numbers_hash_the_same_in_postgresql_and_java() throws Exception {
    JsonNode details = AuditJson.parse("{\"emoji\": \"🚒 fire\", \"quotes\": \"\\\"\\\\ \\u0001\\t\\n\","
        + " \"nul\": \"a\\u0000b\", \"accents\": \"Ærøskøbing\", \"big\": 12345678901234567890123,"
        + " \"dec\": 1.10, \"neg\": -0.0, \"exp\": 2E+3}");

    AuditEntry entry = log.append(AuditEvent.of(ActorType.HUMAN, "zoë", "chat.message", "incident", "inc-ß")
        .withIncident("inc-ß").withDetails(details)).await(10, SECONDS);

    assertThat(entry.details().get("nul").textValue()).isEqualTo("a\uFFFDb");
    assertThat(stored(entry.seq())).isEqualTo(entry);
    assertThat(verifier.verify().await(30, SECONDS).ok()).isTrue();
  }

  private Future<Void> writer(int writer, int done, int total) {
    if (done == total) {
      return Future.succeededFuture();
    }
    AuditEvent e = event("tool.called").withRun("run-" + writer).withDetails(Map.of("i", done));
    // Half the appends in a caller's transaction, half on their own.
    Future<AuditEntry> append = done % 2 == 0 ? log.append(e) : inTransaction(e);
    return append.compose(entry -> writer(writer, done + 1, total));
  }

  /** Appended in a transaction, then sealed: the entry as the chain holds it. */
  private Future<AuditEntry> inTransaction(AuditEvent e) {
    return pool.withTransaction(tx -> log.append(tx, e)).compose(p -> log.sealed(List.of(p))).map(l -> l.get(0));
  }

  private static AuditEvent event(String action) {
    return AuditEvent.of(ActorType.HUMAN, "alice", action, "runbook", "feature-store-restore@3")
        .withDetails(Map.of("content_hash", "ab".repeat(32)));
  }

  private AuditEntry stored(long seq) throws Exception {
    return new AuditQuery(pool).find(AuditFilter.all().afterSeq(seq - 1).beforeSeq(seq + 1))
        .await(10, SECONDS).get(0);
  }

  private long lastSeq() throws SQLException {
    return count("select coalesce(max(seq), 0) from audit_log");
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = db.jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String text(String sql) throws SQLException {
    try (Connection c = db.jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
