package dev.rebound.db;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.error.ValidationException;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(VertxExtension.class)
class RunbookApprovalStoreIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private static final String HASH_A = "a".repeat(64);
  private static final String HASH_B = "b".repeat(64);

  private RunbookApprovalStore store;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    store = new RunbookApprovalStore(db.database(vertx).await(30, SECONDS).pool());
  }

  @Test
  void records_an_approval_once_and_pins_the_content_hash() throws Exception {
    boolean first = store.record("restore-features", 3, HASH_A, "bob", "reviewed with alice").await(10, SECONDS);
    boolean again = store.record("restore-features", 3, HASH_A, "bob", "second click").await(10, SECONDS);

    assertThat(first).isTrue();
    assertThat(again).isFalse();
    assertThat(store.isApproved("restore-features", 3, HASH_A).await(10, SECONDS)).isTrue();
    assertThat(store.isApproved("restore-features", 3, HASH_B).await(10, SECONDS)).isFalse();
    assertThat(store.isApproved("restore-features", 4, HASH_A).await(10, SECONDS)).isFalse();

    List<RunbookApproval> approvals = store.list("restore-features", 3).await(10, SECONDS);
    assertThat(approvals).singleElement().satisfies(a -> {
      assertThat(a.approvedBy()).isEqualTo("bob");
      assertThat(a.contentHash()).isEqualTo(HASH_A);
      assertThat(a.comment()).contains("reviewed with alice");
      assertThat(a.approvedAt()).isNotNull();
    });
  }

  @Test
  void lists_every_approver_of_a_version() throws Exception {
    store.record("model-rollback", 1, HASH_A, "carol", null).await(10, SECONDS);
    store.record("model-rollback", 1, HASH_A, "dave", " ").await(10, SECONDS);
    store.record("model-rollback", 1, HASH_B, "erin", null).await(10, SECONDS);

    List<RunbookApproval> approvals = store.list("model-rollback", 1).await(10, SECONDS);

    assertThat(approvals).extracting(RunbookApproval::approvedBy).containsExactlyInAnyOrder("carol", "dave", "erin");
    assertThat(approvals).allSatisfy(a -> assertThat(a.comment()).isEmpty());
  }

  @Test
  void refuses_malformed_input_before_touching_the_database() {
    assertThatThrownBy(() -> store.record("", 0, "ABC", " ", null).await(10, SECONDS))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).problems()).containsExactly(
            "runbook id is required",
            "version must be positive, got 0",
            "content hash must be 64 lower-case hex characters (SHA-256)",
            "approver is required"));
  }
}
