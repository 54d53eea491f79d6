package dev.rebound.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Proves the audit log has not been changed: walks the chain from entry #1, recomputing every
 * hash, and names the first entry that cannot be trusted ({@link ChainCheck} lists the checks
 * and whom each one blames). Reads one page of entries at a time (keyset on seq), so memory
 * stays flat however long the log is.
 *
 * <p>{@link #verify()} seals pending entries first (see {@link AuditLog}), then reads the database inside one REPEATABLE READ, READ ONLY transaction: the
 * pages and the head row come from the same snapshot, so appends running meanwhile can neither
 * be half-seen nor look like a truncated tail. Non-blocking, but the parsing and hashing run on
 * the event loop, one page at a time: about 20–50 ms a page of 1000 on a small machine, so a
 * long chain costs the loop that many slices (20k–50k entries a second). Safe to run any time,
 * from any replica; it holds one snapshot open for its duration.
 *
 * <p>{@link #verifyExport(InputStream)} checks an export file alone, without a database. Its first
 * line records where the chain ended when it was written ({@link ExportEnd}, from audit_head), so
 * entries cut off its end are caught as they are in the database. Against someone who rewrites
 * the record along with the file, compare its last hash with one kept elsewhere (e.g. a previous
 * export or {@code GET /api/audit/verify}).
 */
public final class AuditVerifier {
  public static final int DEFAULT_PAGE_SIZE = 1000;
  private static final String PENDING = "select count(*) from audit_pending";

  private final Pool pool;
  private final int pageSize;

  public AuditVerifier(Pool pool) {
    this(pool, DEFAULT_PAGE_SIZE);
  }

  public AuditVerifier(Pool pool, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be positive");
    }
    this.pool = Objects.requireNonNull(pool, "pool");
    this.pageSize = pageSize;
  }

  /**
   * Seals what is pending, then verifies the whole chain in the database and its head, and counts
   * what is still pending in the same snapshot. A seal that fails (the chain cannot take more
   * entries, e.g. after a row was inserted around the seal) does not stop the verification: the
   * result names the broken entry and the pending count shows what waits.
   */
  public Future<VerifyResult> verify() {
    return AuditSealer.sealAll(pool).recover(sealFailed -> Future.succeededFuture()).compose(sealed ->
        pool.withTransaction(conn -> conn.query("set transaction isolation level repeatable read, read only")
            .execute()
            .compose(ignored -> conn.query(AuditRows.HEAD).execute())
            .compose(headRows -> {
              if (headRows.size() != 1) {
                return Future.succeededFuture(
                    VerifyResult.broken(0, 1, "audit_head must hold one row, found " + headRows.size()));
              }
              Row head = headRows.iterator().next();
              ChainCheck check = new ChainCheck();
              return walk(conn, check, 0L)
                  .map(done -> check.result(head.getLong("last_seq"), head.getString("last_hash")));
            })
            .compose(result -> conn.query(PENDING).execute()
                .map(rows -> result.withPending(rows.iterator().next().getLong(0))))));
  }

  private Future<Void> walk(SqlConnection conn, ChainCheck check, long afterSeq) {
    return conn.preparedQuery(AuditRows.PAGE).execute(Tuple.of(afterSeq, pageSize)).compose(rows -> {
      long last = feed(check, rows);
      return last < 0 || rows.size() < pageSize ? Future.succeededFuture() : walk(conn, check, last);
    });
  }

  /** Feeds one page; the last seq read, or -1 once the chain is broken. */
  private static long feed(ChainCheck check, RowSet<Row> rows) {
    long last = -1;
    for (Row row : rows) {
      AuditEntry entry;
      try {
        entry = AuditRows.entry(row);
      } catch (IllegalArgumentException e) {
        check.fail("entry #" + row.getLong("seq") + " cannot be read: " + e.getMessage());
        return -1;
      }
      if (!check.accept(entry)) {
        return -1;
      }
      last = entry.seq();
    }
    return last;
  }

  /**
   * Verifies an export ({@link AuditExport}: the record of its end ({@link ExportEnd}), then one
   * entry per line from #1) on its own. Blocking: reads the stream to its end or to the first
   * break; the caller closes it. A file that starts with entry #1 (written before exports recorded
   * their end) is verified as far as it goes, and its result says the end is unknown.
   */
  public static VerifyResult verifyExport(InputStream in) {
    ChainCheck check = new ChainCheck();
    ExportEnd recorded = null;
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try {
      String line;
      long lineNumber = 0;
      boolean first = true;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        AuditEntry entry;
        try {
          JsonNode json = AuditJson.parse(line);
          if (first && ExportEnd.isRecord(json)) {
            first = false;
            recorded = recordOf(json, lineNumber, check);
            if (recorded == null) {
              break;
            }
            continue;
          }
          entry = AuditEntry.fromJson(json);
        } catch (IllegalArgumentException e) {
          check.fail("line " + lineNumber + " is not an audit entry: " + e.getMessage());
          break;
        }
        first = false;
        if (!check.accept(entry)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the export", e);
    }
    return recorded == null ? check.result().withEndUnknown() : check.result(recorded);
  }

  /** The export's record of its end, or null once {@code check} failed because it is not valid. */
  private static ExportEnd recordOf(JsonNode json, long lineNumber, ChainCheck check) {
    try {
      return ExportEnd.fromJson(json);
    } catch (IllegalArgumentException e) {
      check.fail("line " + lineNumber + " is not a valid record of the export's end: " + e.getMessage());
      return null;
    }
  }
}
