package dev.rebound.db;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * One person's approval of one exact content (by SHA-256) of a runbook version. Whether the
 * approver may approve (not the author, right role) is decided by the runbook package before it
 * records one; this is only the stored fact.
 */
public record RunbookApproval(
    String runbookId,
    int version,
    String contentHash,
    String approvedBy,
    OffsetDateTime approvedAt,
    Optional<String> comment) {}
