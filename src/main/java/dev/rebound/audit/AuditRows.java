package dev.rebound.audit;

import io.vertx.sqlclient.Row;
import java.util.Optional;

/** Reading {@code audit_log} rows: the column list every query selects, and the mapping. */
final class AuditRows {
  /**
   * details as text, parsed here with exact numbers: the pg client's own jsonb decoding goes
   * through doubles, which would change digits and break the hash of a correct entry.
   */
  static final String COLUMNS = "seq, at, actor_type, actor_id, action, subject_type, subject_id,"
      + " run_id, incident_id, details::text as details, prev_hash, hash";

  /** Keyset paging in seq order, inside one snapshot (see the callers). */
  static final String PAGE = "select " + COLUMNS + " from audit_log where seq > $1 order by seq limit $2";

  static final String HEAD = "select last_seq, last_hash from audit_head";

  private AuditRows() {}

  /** @throws IllegalArgumentException for a row no append could have written */
  static AuditEntry entry(Row row) {
    String actorType = row.getString("actor_type");
    return new AuditEntry(
        row.getLong("seq"),
        row.getOffsetDateTime("at").toInstant(),
        ActorType.fromDb(actorType)
            .orElseThrow(() -> new IllegalArgumentException("unknown actor_type \"" + actorType + "\"")),
        row.getString("actor_id"),
        row.getString("action"),
        row.getString("subject_type"),
        row.getString("subject_id"),
        Optional.ofNullable(row.getString("run_id")),
        Optional.ofNullable(row.getString("incident_id")),
        AuditJson.parse(row.getString("details")),
        row.getString("prev_hash"),
        row.getString("hash"));
  }
}
