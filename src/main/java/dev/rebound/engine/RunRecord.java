package dev.rebound.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.util.Optional;

/** A row of {@code runs} as stored. {@code params} are the bound values (not secret by design). */
public record RunRecord(
    String id,
    String runbookId,
    int runbookVersion,
    String contentHash,
    ObjectNode params,
    Optional<String> incidentId,
    RunKind kind,
    String requestedBy,
    String requestedByType,
    RunState state,
    Optional<String> waitingFor,
    Optional<String> work,
    Optional<String> leaseOwner,
    Optional<OffsetDateTime> leaseUntil,
    Optional<String> error,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    Optional<OffsetDateTime> finishedAt) {}
