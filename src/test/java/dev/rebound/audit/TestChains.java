package dev.rebound.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.runbook.CanonicalJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Chains built in memory, hashed exactly as {@link PgAuditLog} hashes them. */
final class TestChains {
  static final Instant START = Instant.parse("2025-03-01T10:00:00.000001Z");

  private TestChains() {}

  static List<AuditEntry> chain(int length) {
    List<AuditEntry> entries = new ArrayList<>();
    String prev = ChainHash.GENESIS;
    for (int i = 1; i <= length; i++) {
      AuditEvent event = AuditEvent.of(ActorType.HUMAN, "alice", "step.approved", "step", "run-1/step-" + i)
          .withRun("run-1")
          .withDetails(Map.of("n", i, "ratio", 0.25, "note", "étape ☃ " + i));
      AuditEntry entry = entry(i, START.plusSeconds(i), event, prev);
      entries.add(entry);
      prev = entry.hash();
    }
    return entries;
  }

  static AuditEntry entry(long seq, Instant at, AuditEvent event, String prevHash) {
    ChainHash.Canonical canonical = ChainHash.canonical(at, event.actorType(), event.actorId(), event.action(),
        event.subjectType(), event.subjectId(), event.runId(), event.incidentId(),
        CanonicalJson.write(event.details()));
    return new AuditEntry(seq, at, event.actorType(), event.actorId(), event.action(), event.subjectType(),
        event.subjectId(), event.runId(), event.incidentId(), event.details(), prevHash,
        ChainHash.hash(prevHash, canonical.withSeq(seq)));
  }

  /** {@code e} with other details, its hash left as it was (a naive edit). */
  static AuditEntry withDetails(AuditEntry e, JsonNode details) {
    return new AuditEntry(e.seq(), e.at(), e.actorType(), e.actorId(), e.action(), e.subjectType(), e.subjectId(),
        e.runId(), e.incidentId(), details, e.prevHash(), e.hash());
  }

  /** {@code e} with its own hash recomputed (a careful edit: only the next link breaks). */
  static AuditEntry rehashed(AuditEntry e) {
    AuditEntry draft = new AuditEntry(e.seq(), e.at(), e.actorType(), e.actorId(), e.action(), e.subjectType(),
        e.subjectId(), e.runId(), e.incidentId(), e.details(), e.prevHash(), "");
    return new AuditEntry(e.seq(), e.at(), e.actorType(), e.actorId(), e.action(), e.subjectType(),
        e.subjectId(), e.runId(), e.incidentId(), e.details(), e.prevHash(), ChainHash.expectedHash(draft));
  }

  static Optional<String> none() {
    return Optional.empty();
  }
}
