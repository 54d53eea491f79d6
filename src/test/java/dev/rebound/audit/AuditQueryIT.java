package dev.rebound.audit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.error.ValidationException;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(VertxExtension.class)
class AuditQueryIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private static AuditQuery query;

  /** seq 1..6, in this order. */
  @BeforeAll
  static void fill(Vertx vertx) throws Exception {
    var pool = db.database(vertx).await(30, SECONDS).pool();
    PgAuditLog log = new PgAuditLog(pool, Masker.none());
    List<AuditEvent> events = List.of(
        AuditEvent.of(ActorType.HUMAN, "alice", "incident.opened", "incident", "inc-1").withIncident("inc-1"),
        AuditEvent.of(ActorType.AGENT, "agent", "tool.called", "tool", "search_runbooks").withIncident("inc-1"),
        AuditEvent.of(ActorType.HUMAN, "alice", "run.proposed", "run", "run-1").withRun("run-1").withIncident("inc-1"),
        AuditEvent.of(ActorType.HUMAN, "bob", "step.approved", "step", "run-1/pause").withRun("run-1"),
        AuditEvent.of(ActorType.SYSTEM, "rebound", "step.started", "step", "run-1/pause").withRun("run-1"),
        AuditEvent.of(ActorType.DRILL, "drill-bot", "step_x.started", "step", "run-2/a").withRun("run-2"));
    for (AuditEvent event : events) {
      log.append(event).await(10, SECONDS);
    }
    query = new AuditQuery(pool);
  }

  @Test
  void newest_first_by_default() throws Exception {
    assertThat(seqs(AuditFilter.all())).containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
    assertThat(seqs(AuditFilter.all().oldestFirst().limit(2))).containsExactly(1L, 2L);
  }

  @Test
  void filters_by_run_incident_actor_and_actor_type() throws Exception {
    assertThat(seqs(AuditFilter.all().run("run-1").oldestFirst())).containsExactly(3L, 4L, 5L);
    assertThat(seqs(AuditFilter.all().incident("inc-1"))).containsExactly(3L, 2L, 1L);
    assertThat(seqs(AuditFilter.all().actor("alice"))).containsExactly(3L, 1L);
    assertThat(seqs(AuditFilter.all().actorType(ActorType.DRILL))).containsExactly(6L);
    assertThat(seqs(AuditFilter.all().run("run-1").actor("bob"))).containsExactly(4L);
  }

  @Test
  void an_action_prefix_matches_literally() throws Exception {
    assertThat(seqs(AuditFilter.all().actionPrefix("step."))).containsExactly(5L, 4L);
    // "_" is not a wildcard: step_x.started does not match "step.", and "step_" matches only it.
    assertThat(seqs(AuditFilter.all().actionPrefix("step_"))).containsExactly(6L);
    assertThat(seqs(AuditFilter.all().actionPrefix("tool.called"))).containsExactly(2L);
  }

  @Test
  void pages_by_seq_in_both_directions() throws Exception {
    assertThat(seqs(AuditFilter.all().afterSeq(4).oldestFirst())).containsExactly(5L, 6L);
    assertThat(seqs(AuditFilter.all().beforeSeq(3))).containsExactly(2L, 1L);
    assertThat(seqs(AuditFilter.all().afterSeq(1).beforeSeq(4).oldestFirst())).containsExactly(2L, 3L);
  }

  @Test
  void the_limit_is_between_1_and_1000() {
    assertThatThrownBy(() -> AuditFilter.all().limit(1001))
        .isInstanceOf(ValidationException.class).hasMessage("limit must be between 1 and 1000, got 1001");
    assertThatThrownBy(() -> AuditFilter.all().limit(0)).isInstanceOf(ValidationException.class);
  }

  private static List<Long> seqs(AuditFilter filter) throws Exception {
    return query.find(filter).await(10, SECONDS).stream().map(AuditEntry::seq).toList();
  }
}
