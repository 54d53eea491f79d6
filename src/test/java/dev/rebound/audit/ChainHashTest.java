package dev.rebound.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.runbook.CanonicalJson;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainHashTest {
  private static final Instant AT = Instant.parse("2025-01-02T03:04:05.123456Z");
  private static final JsonNode DETAILS =
      AuditJson.parse("{\"n\": [1, 0.50, \"é☃\"], \"content_hash\": \"ab\"}");

  @Test
  void canonical_text_is_the_canonical_json_of_the_whole_entry() {
    ChainHash.Canonical canonical = ChainHash.canonical(AT, ActorType.HUMAN, "alice", "runbook.approved",
        "runbook", "restore@3", Optional.of("run-1"), Optional.empty(), CanonicalJson.write(DETAILS));

    ObjectNode whole = AuditJson.MAPPER.createObjectNode();
    whole.put("seq", 1);
    whole.put("at", "2025-01-02T03:04:05.123456Z");
    whole.put("actor_type", "human");
    whole.put("actor_id", "alice");
    whole.put("action", "runbook.approved");
    whole.put("subject_type", "runbook");
    whole.put("subject_id", "restore@3");
    whole.put("run_id", "run-1");
    whole.putNull("incident_id");
    whole.set("details", DETAILS);

    assertThat(canonical.withSeq(1)).isEqualTo(CanonicalJson.write(whole));
  }

  /** Pins the format: an implementation change that alters it would break every existing chain. */
  @Test
  void hash_matches_an_independently_computed_value() {
    ChainHash.Canonical canonical = ChainHash.canonical(AT, ActorType.HUMAN, "alice", "runbook.approved",
        "runbook", "restore@3", Optional.of("run-1"), Optional.empty(), CanonicalJson.write(DETAILS));

    // python3: hashlib.sha256(("0" * 64 + canonical).encode()).hexdigest()
    assertThat(ChainHash.hash(ChainHash.GENESIS, canonical.withSeq(1)))
        .isEqualTo("1953880b5cf6d33957fe193484d545d3fba0dfe1d591ff2b6fe8828d53fdd4ce");
  }

  @Test
  void time_is_utc_with_exactly_six_fraction_digits() {
    assertThat(ChainHash.formatAt(Instant.parse("2025-01-02T03:04:05Z"))).isEqualTo("2025-01-02T03:04:05.000000Z");
    assertThat(ChainHash.formatAt(ChainHash.storable(Instant.parse("2025-01-02T03:04:05.123456789Z"))))
        .isEqualTo("2025-01-02T03:04:05.123456Z");
  }

  @Test
  void every_field_is_covered_by_the_hash() {
    AuditEntry base = TestChains.chain(1).get(0);
    AuditEntry otherActor = new AuditEntry(base.seq(), base.at(), ActorType.AGENT, base.actorId(), base.action(),
        base.subjectType(), base.subjectId(), base.runId(), base.incidentId(), base.details(), base.prevHash(), "");
    AuditEntry otherTime = new AuditEntry(base.seq(), base.at().plusNanos(1000), base.actorType(), base.actorId(),
        base.action(), base.subjectType(), base.subjectId(), base.runId(), base.incidentId(), base.details(),
        base.prevHash(), "");
    AuditEntry otherIncident = new AuditEntry(base.seq(), base.at(), base.actorType(), base.actorId(),
        base.action(), base.subjectType(), base.subjectId(), base.runId(), Optional.of("inc-1"), base.details(),
        base.prevHash(), "");
    AuditEntry otherSeq = new AuditEntry(2, base.at(), base.actorType(), base.actorId(), base.action(),
        base.subjectType(), base.subjectId(), base.runId(), base.incidentId(), base.details(), base.prevHash(), "");

    assertThat(ChainHash.expectedHash(base)).isEqualTo(base.hash());
    assertThat(java.util.List.of(otherActor, otherTime, otherIncident, otherSeq))
        .extracting(ChainHash::expectedHash)
        .doesNotContain(base.hash())
        .doesNotHaveDuplicates();
  }
}
