package dev.rebound.engine;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.db.Database;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PgRunStore#inTransaction}: its statements are pipelined and COMMIT follows them in the
 * same flight, so a condition a transition depends on must stop that COMMIT even when the body
 * returned before the statement was answered.
 */
@ExtendWith(VertxExtension.class)
class PgRunStoreIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private Database database;
  private PgRunStore store;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    database = db.database(vertx).await(30, SECONDS);
    store = new PgRunStore(database.pool(), new PgAuditLog(database.pool(), Masker.none()), entry -> {});
  }

  @AfterEach
  void tearDown() throws Exception {
    database.close().await(10, SECONDS);
  }

  @Test
  void an_approval_that_cannot_be_used_rolls_back_the_transaction_the_body_did_not_wait_for() throws Exception {
    // No such unused approval: 0 rows updated.
    assertRolledBack("claim-with-spent-approval", tx -> tx.markUsed(List.of(Long.MAX_VALUE), Instant.now()),
        "an approval was used concurrently");
  }

  @Test
  void a_claim_decided_on_a_step_that_no_longer_awaits_approval_rolls_back_the_transaction() throws Exception {
    // No such step at that attempt: the claim's UPDATE matches no row.
    assertRolledBack("claim-of-a-moved-step", tx -> tx.claimAwaitingApproval("r-none", "s1", 0, "engine",
        Duration.ofSeconds(30), Columns.set()), "step s1 is no longer awaiting approval of attempt 1");
  }

  @Test
  void approvals_used_by_approver_that_are_not_all_there_roll_back_the_transaction() throws Exception {
    // alice has no open approval.
    assertRolledBack("claim-with-a-missing-approval", tx -> tx.markUsedBy("r-none", "s1", 1, List.of("alice"),
        Instant.now()), "an approval was used concurrently");
  }

  /** A transition whose {@code condition} fails in the database commits nothing, its audit entry included. */
  private void assertRolledBack(String subject, Consumer<RunTx> condition, String error) throws Exception {
    long entriesBefore = auditEntries(subject);

    Future<String> transition = store.inTransaction(tx -> {
      condition.accept(tx);
      tx.record(event(subject));
      return Future.succeededFuture("claimed");
    });

    assertThatThrownBy(() -> transition.await(10, SECONDS)).hasMessageContaining(error);
    assertThat(auditEntries(subject)).isEqualTo(entriesBefore);
  }

  @Test
  void the_same_transaction_without_the_failed_condition_commits_its_entry() throws Exception {
    String result = store.inTransaction(tx -> {
      tx.markUsed(List.of(), Instant.now());
      tx.record(event("claim-without-approvals"));
      return Future.succeededFuture("claimed");
    }).await(10, SECONDS);

    assertThat(result).isEqualTo("claimed");
    assertThat(auditEntries("claim-without-approvals")).isEqualTo(1);
  }

  private static AuditEvent event(String subject) {
    return AuditEvent.of(ActorType.SYSTEM, "engine", "step.started", "step", subject).withDetails(Map.of("n", 1));
  }

  /** Entries about {@code subject}, chained or still pending. */
  private static long auditEntries(String subject) throws SQLException {
    try (Connection c = db.jdbc(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select (select count(*) from audit_log where subject_id = '" + subject + "')"
            + " + (select count(*) from audit_pending where subject_id = '" + subject + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
