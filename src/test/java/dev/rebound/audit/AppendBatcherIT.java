package dev.rebound.audit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.testing.TestDatabase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Group commit of standalone appends ({@link AppendBatcher}) against a real PostgreSQL. */
@ExtendWith(VertxExtension.class)
class AppendBatcherIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private Pool pool;
  private PgAuditLog log;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    pool = db.database(vertx).await(30, SECONDS).pool();
    log = new PgAuditLog(pool, Masker.none());
  }

  /** What one caller saw: its entries in the order it made the calls, and where each completed. */
  private record Caller(Context context, List<AuditEntry> entries, List<Context> completedOn) {}

  @Test
  void concurrent_callers_each_get_their_own_entry_on_their_context_and_the_chain_verifies(Vertx vertx)
      throws Exception {
    long before = count("select coalesce(max(seq), 0) from audit_log");
    int callers = 16;
    int appendsEach = 40;

    List<Future<Caller>> running = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int caller = c;
      Context context = vertx.getOrCreateContext();
      Promise<Caller> done = Promise.promise();
      // Half the calls are made without waiting for the previous one, so batches mix callers.
      context.runOnContext(v -> calls(caller, context, appendsEach).onComplete(done));
      running.add(done.future());
    }
    Future.all(running).await(120, SECONDS);

    Set<Long> seqs = new HashSet<>();
    for (int c = 0; c < callers; c++) {
      Caller caller = running.get(c).result();
      long previous = 0;
      for (int i = 0; i < appendsEach; i++) {
        AuditEntry entry = caller.entries().get(i);
        assertThat(entry.subjectId()).isEqualTo("caller-" + c);
        assertThat(entry.details().get("i").asInt()).isEqualTo(i);
        assertThat(entry.seq()).as("chained in the order the calls were made").isGreaterThan(previous);
        assertThat(stored(entry.seq())).isEqualTo(entry);
        previous = entry.seq();
        seqs.add(entry.seq());
      }
      assertThat(caller.completedOn()).hasSize(appendsEach).allSatisfy(ctx -> assertThat(ctx).isSameAs(caller.context()));
    }
    long total = (long) callers * appendsEach;
    assertThat(seqs).hasSize((int) total).allSatisfy(seq -> assertThat(seq).isBetween(before + 1, before + total));
    assertThat(count("select count(*) from audit_pending")).isZero();
    assertThat(new AuditVerifier(pool).verify().await(60, SECONDS)).isEqualTo(VerifyResult.intact(before + total));
  }

  /**
   * The test holds the chain's head lock, so the first write waits in PostgreSQL and the next
   * appends queue into one batch behind it; one of them is refused by the database (a check the
   * test adds, standing for anything PostgreSQL may refuse that Java does not foresee).
   */
  @Test
  void a_batch_whose_write_fails_fails_all_its_appends_and_leaves_no_entry_and_no_pending_row() throws Exception {
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      // On audit_log: a standalone batch is written straight into the chain (V18), never to audit_pending.
      s.execute("alter table audit_log add constraint refused_in_test check (subject_id <> 'refused')");
    }
    AuditEntry earlier = log.append(event("a", "earlier")).await(10, SECONDS);
    Future<AuditEntry> first;
    List<Future<AuditEntry>> batch = new ArrayList<>();
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("select * from audit_head for update");
      first = log.append(event("b", "first"));
      batch.add(log.append(event("c", "before the bad one")));
      batch.add(log.append(event("refused", "only PostgreSQL refuses it, when the batch is written")));
      batch.add(log.append(event("e", "after the bad one")));
      c.rollback();
    }

    AuditEntry firstEntry = first.await(10, SECONDS);
    Future.join(batch).otherwiseEmpty().await(10, SECONDS);

    assertThat(firstEntry.seq()).isEqualTo(earlier.seq() + 1);
    assertThat(batch).allSatisfy(f -> {
      assertThat(f.failed()).isTrue();
      assertThat(f.cause().getMessage()).contains("refused_in_test");
    });
    assertThat(count("select count(*) from audit_log where subject_id in ('c', 'refused', 'e')")).isZero();
    assertThat(count("select count(*) from audit_pending")).isZero();
    assertThat(count("select last_seq from audit_head")).isEqualTo(firstEntry.seq());
    AuditEntry after = log.append(event("f", "after the failed batch")).await(10, SECONDS);
    assertThat(after.seq()).as("no gap").isEqualTo(firstEntry.seq() + 1);
    assertThat(new AuditVerifier(pool).verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(after.seq()));
  }

  /**
   * A standalone batch goes straight into the chain (V18), but never ahead of an entry committed
   * before it: entries waiting in audit_pending are sealed first, so causal order holds.
   */
  @Test
  void a_standalone_append_is_chained_after_the_pending_entries_committed_before_it() throws Exception {
    SqlConnection conn = pool.getConnection().await(10, SECONDS);
    PendingEntry pending;
    try {
      // BEGIN as a statement: no Vert.x transaction, so nothing seals it after the commit.
      conn.query("BEGIN").execute().await(10, SECONDS);
      pending = log.append(conn, event("p", "committed first, left pending")).await(10, SECONDS);
      conn.query("COMMIT").execute().await(10, SECONDS);
    } finally {
      conn.close().await(10, SECONDS);
    }
    assertThat(count("select count(*) from audit_pending")).isOne();

    AuditEntry standalone = log.append(event("s", "appended after that commit")).await(10, SECONDS);

    assertThat(count("select count(*) from audit_pending")).isZero();
    AuditEntry sealed = log.sealed(List.of(pending)).await(10, SECONDS).get(0);
    assertThat(sealed.subjectId()).isEqualTo("p");
    assertThat(standalone.seq()).isEqualTo(sealed.seq() + 1);
    assertThat(standalone.prevHash()).isEqualTo(sealed.hash());
    assertThat(new AuditVerifier(pool).verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(standalone.seq()));
  }

  private Future<Caller> calls(int caller, Context context, int total) {
    List<AuditEntry> entries = new ArrayList<>();
    List<Context> completedOn = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < total; i += 2) {
      int pair = i;
      chain = chain.compose(v -> {
        // Two calls at once, then wait for both: the second queues behind the first.
        Future<AuditEntry> a = append(caller, pair, completedOn);
        Future<AuditEntry> b = append(caller, pair + 1, completedOn);
        return Future.all(a, b).map(all -> {
          entries.add(a.result());
          entries.add(b.result());
          return null;
        });
      });
    }
    return chain.map(v -> new Caller(context, entries, completedOn));
  }

  private Future<AuditEntry> append(int caller, int i, List<Context> completedOn) {
    AuditEvent event = AuditEvent.of(ActorType.AGENT, "agent", "tool.called", "tool", "caller-" + caller)
        .withDetails(Map.of("i", i));
    return log.append(event).onSuccess(e -> completedOn.add(Vertx.currentContext()));
  }

  private static AuditEvent event(String subject, String note) {
    return AuditEvent.of(ActorType.AGENT, "agent", "llm.called", "llm", subject).withDetails(Map.of("note", note));
  }

  private AuditEntry stored(long seq) throws Exception {
    return new AuditQuery(pool).find(AuditFilter.all().afterSeq(seq - 1).beforeSeq(seq + 1))
        .await(10, SECONDS).get(0);
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = db.jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
