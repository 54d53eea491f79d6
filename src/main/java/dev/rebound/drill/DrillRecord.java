package dev.rebound.drill;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
    ObjectNode report) {}
