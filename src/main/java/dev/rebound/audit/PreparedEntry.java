package dev.rebound.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.runbook.CanonicalJson;
import java.time.Instant;

/**
 * An event made ready for the chain, with everything decided when it is appended: its time
 * (truncated to what timestamptz stores), its details masked and in stored form, and its
 * canonical JSON split around the seq that only the seal can give.
 */
final class PreparedEntry {
  final AuditEvent event;
  final Instant at;
  final String detailsText;
  final ChainHash.Canonical canonical;

  private PreparedEntry(AuditEvent event, Instant at, String detailsText, ChainHash.Canonical canonical) {
    this.event = event;
    this.at = at;
    this.detailsText = detailsText;
    this.canonical = canonical;
  }

  static PreparedEntry of(AuditEvent event, Instant now, Masker masker) {
    Instant at = ChainHash.storable(now);
    // jsonb cannot hold U+0000: keep the rest of the text rather than lose the entry.
    JsonNode details = Masker.mapStrings(event.detailsView(), s -> masker.mask(s).replace('\0', '\uFFFD'));
    String detailsText = CanonicalJson.write(details);
    ChainHash.Canonical canonical = ChainHash.canonical(at, event.actorType(), event.actorId(), event.action(),
        event.subjectType(), event.subjectId(), event.runId(), event.incidentId(), detailsText);
    return new PreparedEntry(event, at, detailsText, canonical);
  }
}
