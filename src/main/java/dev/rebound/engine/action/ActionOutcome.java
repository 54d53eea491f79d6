package dev.rebound.engine.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;

/**
 * A successful action. {@code output} holds the fields later templates read as
 * {@code {{steps.<id>.output.<field>}}} (see docs/runbook-format.md: http → {@code status} and the
 * top-level fields of a JSON body; sql → the first row's columns and {@code row_count}; command →
 * {@code exit_code}, {@code stdout} and the top-level fields of JSON stdout; manual →
 * {@code confirmed_by}, {@code note}; wait → none). Where a body field has the name of one of
 * these fixed fields, the fixed field wins. {@code summary} is one line for timelines. Both are
 * masked: a secret in a target's reply never reaches the database, Slack or a later template.
 */
public record ActionOutcome(ObjectNode output, String summary, Duration duration) {
  public ActionOutcome {
    output = Objects.requireNonNull(output, "output").deepCopy();
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(duration, "duration");
  }

  @Override
  public ObjectNode output() {
    return output.deepCopy();
  }
}
