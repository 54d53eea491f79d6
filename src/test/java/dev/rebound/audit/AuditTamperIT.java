package dev.rebound.audit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.runbook.CanonicalJson;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A superuser can bypass privileges and disable the trigger; what it cannot do is change the log
 * without the verifier naming exactly the entry it touched. One database per scenario.
 */
@ExtendWith(VertxExtension.class)
class AuditTamperIT {
  @RegisterExtension static final TestDatabase edited = TestDatabase.create();
  @RegisterExtension static final TestDatabase deleted = TestDatabase.create();
  @RegisterExtension static final TestDatabase rehashed = TestDatabase.create();
  @RegisterExtension static final TestDatabase truncated = TestDatabase.create();
  @RegisterExtension static final TestDatabase lastRehashed = TestDatabase.create();

  private static final int ENTRIES = 12;
  private static final String UNLOCKED = "alter table audit_log disable trigger audit_log_append_only; ";
  private static final String LOCKED = "; alter table audit_log enable trigger audit_log_append_only;";

  @Test
  void a_changed_entry_is_named_by_its_hash_mismatch(Vertx vertx) throws Exception {
    Pool pool = chain(vertx, edited);

    Superuser.run(edited.url(), UNLOCKED
        + "update audit_log set details = jsonb_set(details, '{i}', '999') where seq = 5" + LOCKED);

    VerifyResult result = new AuditVerifier(pool, 4).verify().await(30, SECONDS);
    assertThat(result.summary())
        .isEqualTo("audit chain BROKEN at entry #5: hash mismatch: the content of entry #5 was changed");
    assertThat(result.entriesChecked()).isEqualTo(4);
  }

  @Test
  void a_deleted_entry_is_named_as_the_missing_seq(Vertx vertx) throws Exception {
    Pool pool = chain(vertx, deleted);

    Superuser.run(deleted.url(), UNLOCKED + "delete from audit_log where seq = 7" + LOCKED);

    VerifyResult result = new AuditVerifier(pool, 4).verify().await(30, SECONDS);
    assertThat(result.firstBrokenSeq()).hasValue(7);
    assertThat(result.reason()).hasValue("sequence gap: entry #7 is missing (deleted)");
  }

  @Test
  void an_entry_changed_and_rehashed_is_named_though_only_the_next_link_breaks(Vertx vertx) throws Exception {
    Pool pool = chain(vertx, rehashed);
    AuditEntry original = entry(pool, 6);
    ObjectNode details = (ObjectNode) original.details();
    details.put("i", 999);
    AuditEntry forged = TestChains.rehashed(TestChains.withDetails(original, details));
    assertThat(ChainHash.expectedHash(forged)).as("the forged entry is consistent in itself").isEqualTo(forged.hash());

    Superuser.run(rehashed.url(), UNLOCKED + "update audit_log set details = $j$" + CanonicalJson.write(details)
        + "$j$::jsonb, hash = '" + forged.hash() + "' where seq = 6" + LOCKED);

    VerifyResult result = new AuditVerifier(pool, 4).verify().await(30, SECONDS);
    assertThat(result.firstBrokenSeq()).hasValue(6);
    assertThat(result.reason().orElseThrow())
        .startsWith("prev_hash mismatch: entry #6 does not match the hash entry #7");
    assertThat(result.entriesChecked()).isEqualTo(5);
  }

  @Test
  void entries_cut_from_the_end_are_caught_by_the_head(Vertx vertx) throws Exception {
    Pool pool = chain(vertx, truncated);

    Superuser.run(truncated.url(), UNLOCKED + "delete from audit_log where seq >= 11" + LOCKED);

    VerifyResult result = new AuditVerifier(pool, 4).verify().await(30, SECONDS);
    assertThat(result.summary()).isEqualTo("audit chain BROKEN at entry #11: last entry missing:"
        + " entries #11 to #12 are missing at the end (audit_head records #12)");
  }

  @Test
  void a_last_entry_changed_and_rehashed_is_caught_by_the_head(Vertx vertx) throws Exception {
    Pool pool = chain(vertx, lastRehashed);
    AuditEntry original = entry(pool, ENTRIES);
    ObjectNode details = (ObjectNode) original.details();
    details.put("i", -1);
    AuditEntry forged = TestChains.rehashed(TestChains.withDetails(original, details));

    Superuser.run(lastRehashed.url(), UNLOCKED + "update audit_log set details = $j$" + CanonicalJson.write(details)
        + "$j$::jsonb, hash = '" + forged.hash() + "' where seq = " + ENTRIES + LOCKED);

    VerifyResult result = new AuditVerifier(pool, 4).verify().await(30, SECONDS);
    assertThat(result.firstBrokenSeq()).hasValue(ENTRIES);
    assertThat(result.reason().orElseThrow()).startsWith("last entry mismatch: entry #12");
  }

  /** A migrated database with {@value #ENTRIES} entries that verify. */
  private static Pool chain(Vertx vertx, TestDatabase db) throws Exception {
    Superuser.assumeAvailable(db.url());
    Pool pool = db.database(vertx).await(30, SECONDS).pool();
    PgAuditLog log = new PgAuditLog(pool, Masker.none());
    for (int i = 1; i <= ENTRIES; i++) {
      log.append(AuditEvent.of(ActorType.AGENT, "agent", "tool.called", "tool", "search_runbooks")
          .withIncident("inc-1").withDetails(Map.of("i", i))).await(10, SECONDS);
    }
    assertThat(new AuditVerifier(pool).verify().await(30, SECONDS)).isEqualTo(VerifyResult.intact(ENTRIES));
    return pool;
  }

  private static AuditEntry entry(Pool pool, long seq) throws Exception {
    return new AuditQuery(pool).find(AuditFilter.all().afterSeq(seq - 1).limit(1).oldestFirst())
        .await(10, SECONDS).get(0);
  }
}
