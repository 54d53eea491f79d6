package dev.rebound.audit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.db.Database;
import dev.rebound.testing.CapturedStderr;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A command's life: one transaction with its entry, the entry awaited in the chain, then the audit
 * log and the pool closed at once (what {@code rebound runbooks approve} does before it exits).
 */
@ExtendWith(VertxExtension.class)
class PgAuditLogCloseIT {
  private static final int COMMANDS = 60;

  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  @Test
  void closing_right_after_an_entry_is_chained_seals_everything_and_logs_nothing(Vertx vertx) throws Exception {
    List<String> logged;
    try (CapturedStderr stderr = CapturedStderr.start()) {
      for (int i = 0; i < COMMANDS; i++) {
        Database database = Database.create(vertx, db.url());
        PgAuditLog log = new PgAuditLog(database.pool(), Masker.none());
        AuditEvent event = AuditEvent.of(ActorType.HUMAN, "bruno", "runbook.approved", "runbook", "r@v" + i)
            .withDetails(Map.of("i", i));
        // The commit nudges a seal; sealed() asks for another, coalesced behind it.
        database.pool().withTransaction(tx -> log.append(tx, event).map(List::of))
            .compose(log::sealed).await(10, SECONDS);
        log.close().await(10, SECONDS);
        database.close().await(10, SECONDS);
      }
      logged = stderr.lines();
    }

    // Before: the coalesced second seal met the closed pool now and then and logged
    // "WARN AuditSealer - sealing audit entries failed: ... Pool closed".
    assertThat(logged).as("logged while closing").isEmpty();
    assertThat(ConcurrentWriters.longs(db, "select count(*) from audit_pending")).containsExactly(0L);
    Database reader = db.database(vertx).await(30, SECONDS);
    try {
      assertThat(new AuditVerifier(reader.pool()).verify().await(30, SECONDS))
          .isEqualTo(VerifyResult.intact(COMMANDS));
    } finally {
      reader.close().await(10, SECONDS);
    }
  }

  @Test
  void a_seal_asked_for_after_closing_is_refused_without_a_log_line(Vertx vertx) throws Exception {
    Database database = db.database(vertx).await(30, SECONDS);
    PgAuditLog log = new PgAuditLog(database.pool(), Masker.none());
    try (CapturedStderr stderr = CapturedStderr.start()) {
      log.close().await(10, SECONDS);

      assertThat(log.seal().failed()).isTrue();
      assertThat(log.seal().cause()).hasMessage("the audit log is closed: no more seals in this process");
      assertThat(stderr.lines()).isEmpty();
    } finally {
      database.close().await(10, SECONDS);
    }
  }
}
