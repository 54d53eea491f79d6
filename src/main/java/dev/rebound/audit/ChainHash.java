package dev.rebound.audit;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.rebound.digest.Sha256;
import dev.rebound.runbook.CanonicalJson;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The hash of an entry: lower-case hex SHA-256 of the UTF-8 bytes of {@code prev_hash} followed
 * by the canonical JSON ({@link CanonicalJson}: sorted keys, no whitespace, normalised numbers)
 * of the object
 *
 * <pre>{@code
 * {"action":…,"actor_id":…,"actor_type":…,"at":"2025-01-02T03:04:05.123456Z","details":{…},
 *  "incident_id":…|null,"run_id":…|null,"seq":N,"subject_id":…,"subject_type":…}
 * }</pre>
 *
 * {@code at} is ISO-8601 in UTC with exactly six fraction digits. The top level is written here
 * key by key (in sorted order, each value through {@link CanonicalJson}) so that the text can
 * be split around {@code seq}: {@link PgAuditLog} stores the two halves with the pending entry,
 * and {@code audit_seal} inserts the seq it assigns under the chain's head lock and hashes.
 * ChainHashTest proves the result equals {@code CanonicalJson.write} of the whole object.
 */
final class ChainHash {
  static final String GENESIS = "0".repeat(64);

  private static final DateTimeFormatter AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private ChainHash() {}

  /** The canonical JSON of an entry, split where its seq goes. */
  record Canonical(String beforeSeq, String afterSeq) {
    String withSeq(long seq) {
      return beforeSeq + seq + afterSeq;
    }
  }

  /** The details come as their canonical JSON: the caller writes it once and stores it too. */
  static Canonical canonical(
      Instant at,
      ActorType actorType,
      String actorId,
      String action,
      String subjectType,
      String subjectId,
      Optional<String> runId,
      Optional<String> incidentId,
      String canonicalDetails) {
    String before = "{\"action\":" + text(action)
        + ",\"actor_id\":" + text(actorId)
        + ",\"actor_type\":" + text(actorType.dbName())
        + ",\"at\":" + text(formatAt(at))
        + ",\"details\":" + canonicalDetails
        + ",\"incident_id\":" + incidentId.map(ChainHash::text).orElse("null")
        + ",\"run_id\":" + runId.map(ChainHash::text).orElse("null")
        + ",\"seq\":";
    String after = ",\"subject_id\":" + text(subjectId)
        + ",\"subject_type\":" + text(subjectType)
        + "}";
    return new Canonical(before, after);
  }

  static Canonical canonical(AuditEntry e) {
    return canonical(e.at(), e.actorType(), e.actorId(), e.action(), e.subjectType(), e.subjectId(),
        e.runId(), e.incidentId(), CanonicalJson.write(e.detailsView()));
  }

  /** What the stored hash of {@code e} must be, given the prev_hash it stores. */
  static String expectedHash(AuditEntry e) {
    return hash(e.prevHash(), canonical(e).withSeq(e.seq()));
  }

  static String hash(String prevHash, String canonicalJson) {
    return Sha256.hex(prevHash + canonicalJson);
  }

  /** ISO-8601, UTC, microseconds: {@code 2025-01-02T03:04:05.123456Z}. */
  static String formatAt(Instant at) {
    return AT.format(at);
  }

  /** The instant as PostgreSQL stores it (timestamptz has microsecond precision). */
  static Instant storable(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  private static String text(String value) {
    return CanonicalJson.write(TextNode.valueOf(value));
  }
}
