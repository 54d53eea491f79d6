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
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    long entriesBefore = auditEntries("claim-with-spent-approval");

    Future<String> transition = store.inTransaction(tx -> {
      tx.markUsed(List.of(Long.MAX_VALUE), Instant.now()); // no such unused approval: 0 rows updated
      tx.record(event("claim-with-spent-approval"));
      return Future.succeededFuture("claimed");
    });

    assertThatThrownBy(() -> transition.await(10, SECONDS))
        .hasMessageContaining("an approval was used concurrently");
    assertThat(auditEntries("claim-with-spent-approval")).isEqualTo(entriesBefore);
  }

  @Test
  void a_claim_decided_on_a_step_that_no_longer_awaits_approval_rolls_back_the_transaction() throws Exception {
    long entriesBefore = auditEntries("claim-of-a-moved-step");

    Future<String> transition = store.inTransaction(tx -> {
      // No such step at that attempt: the claim's UPDATE matches no row.
      tx.claimAwaitingApproval("r-none", "s1", 0, "engine", java.time.Duration.ofSeconds(30), Columns.set());
      tx.markUsedBy("r-none", "s1", 1, List.of(), Instant.now());
      tx.record(event("claim-of-a-moved-step"));
      return Future.succeededFuture("claimed");
    });

    assertThatThrownBy(() -> transition.await(10, SECONDS))
        .hasMessageContaining("step s1 is no longer awaiting approval of attempt 1");
    assertThat(auditEntries("claim-of-a-moved-step")).isEqualTo(entriesBefore);
  }

  @Test
  void approvals_used_by_approver_that_are_not_all_there_roll_back_the_transaction() throws Exception {
    long entriesBefore = auditEntries("claim-with-a-missing-approval");

    Future<String> transition = store.inTransaction(tx -> {
      tx.markUsedBy("r-none", "s1", 1, List.of("alice"), Instant.now()); // alice has no open approval
      tx.record(event("claim-with-a-missing-approval"));
      return Future.succeededFuture("claimed");
    });

    assertThatThrownBy(() -> transition.await(10, SECONDS))
        .hasMessageContaining("an approval was used concurrently");
    assertThat(auditEntries("claim-with-a-missing-approval")).isEqualTo(entriesBefore);
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
