package dev.rebound.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.error.ValidationException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditEventTest {
  @Test
  void lists_every_problem_of_a_malformed_event() {
    assertThatThrownBy(() -> new AuditEvent(null, " ", "Approved", "", "x\0y", Optional.of(""), Optional.empty(), null))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).problems()).containsExactly(
            "actor type is required",
            "actor id is required",
            "action must be dotted lower case like runbook.approved, got \"Approved\"",
            "subject type is required",
            "subject id contains a NUL character",
            "run id is required"));
  }

  @Test
  void details_are_copied_so_the_event_cannot_change_after_creation() {
    var map = new java.util.HashMap<String, Object>(Map.of("a", 1));
    AuditEvent event = AuditEvent.of(ActorType.AGENT, "agent", "tool.called", "tool", "search_runbooks")
        .withDetails(map);
    event.details().put("b", 2);
    map.put("c", 3);

    assertThat(event.details().toString()).isEqualTo("{\"a\":1}");
  }

  @Test
  void details_must_be_an_object() {
    assertThatThrownBy(() -> AuditEvent.of(ActorType.SYSTEM, "rebound", "run.resumed", "run", "r1")
        .withDetails(AuditJson.parse("[1]")))
        .isInstanceOf(ValidationException.class)
        .hasMessage("audit details must be a JSON object");
  }
}
