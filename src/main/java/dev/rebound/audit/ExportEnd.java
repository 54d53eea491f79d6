package dev.rebound.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * Where the chain ended when an export was written: {@code audit_head} (the last seq and hash the
 * seals recorded) read in the export's snapshot. {@link AuditExport} writes it as the file's
 * first line, {@code {"audit_export":{"entries":M,"last_hash":"H"}}}, before the entries it
 * describes: a hash chain proves every entry up to the last one present, not that nothing was
 * cut off after it, and a record at the end would be cut off with them. Exports written before
 * this start with entry #1 (no record: their end cannot be checked).
 *
 * <p>Like the entries, the record is not signed: whoever rewrites the file can rewrite it too.
 * It catches a file cut short (by accident, a full disk, a partial copy, a careless edit); against
 * a deliberate rewrite compare {@code last_hash} with one kept elsewhere, e.g. {@code GET
 * /api/audit/verify} or an earlier export.
 */
record ExportEnd(long entries, String lastHash) {
  static final String KEY = "audit_export";
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  /** The record's one line. */
  String toJsonLine() {
    ObjectNode end = AuditJson.MAPPER.createObjectNode();
    end.put("entries", entries);
    end.put("last_hash", lastHash);
    ObjectNode line = AuditJson.MAPPER.createObjectNode();
    line.set(KEY, end);
    return AuditJson.write(line);
  }

  /** Whether a parsed line is meant as the record (then {@link #fromJson} says whether it is a valid one). */
  static boolean isRecord(JsonNode line) {
    return line.isObject() && line.has(KEY);
  }

  /** @throws IllegalArgumentException naming what is wrong with the record */
  static ExportEnd fromJson(JsonNode line) {
    if (line.size() != 1) {
      throw new IllegalArgumentException("'" + KEY + "' must be the line's only field");
    }
    JsonNode end = line.get(KEY);
    if (!end.isObject() || end.size() != 2) {
      throw new IllegalArgumentException("'" + KEY + "' must be an object with entries and last_hash, nothing else");
    }
    JsonNode entries = end.get("entries");
    if (entries == null || !entries.canConvertToExactIntegral() || !entries.canConvertToLong() || entries.asLong() < 0) {
      throw new IllegalArgumentException("entries must be a whole number, 0 or more");
    }
    JsonNode lastHash = end.get("last_hash");
    if (lastHash == null || !lastHash.isTextual() || !HASH.matcher(lastHash.textValue()).matches()) {
      throw new IllegalArgumentException("last_hash must be 64 lower-case hex digits");
    }
    return new ExportEnd(entries.asLong(), lastHash.textValue());
  }

  /** How people read it in a verdict. */
  String describe() {
    return "the export recorded " + entries + (entries == 1 ? " entry" : " entries") + " ending at hash " + lastHash;
  }
}
