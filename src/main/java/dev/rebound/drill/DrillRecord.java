package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** A stored drill: the columns history and flags query, and the full report. */
public record DrillRecord(
    String drillId,
    String scenarioId,
    String runbookId,
    List<String> assets,
    String status,
    Instant startedAt,
    Optional<Instant> finishedAt,
    Optional<Long> recoveryMs,
    Optional<Boolean> withinRto,
    Optional<String> failure,
    ObjectNode report) {

  /**
   * The RTO the recovery was judged against: the tightest of the affected assets' in the report
   * (within_rto holds only if every asset's was met). Empty before the drill measured a recovery.
   */
  public Optional<Duration> rto() {
    return StreamSupport.stream(report.path("assets").spliterator(), false)
        .map(a -> a.path("rto_seconds")).filter(JsonNode::isNumber)
        .map(n -> Duration.ofSeconds(n.asLong())).min(Duration::compareTo);
  }
}
