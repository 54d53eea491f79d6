package dev.rebound.db;

import dev.rebound.error.ValidationException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Approvals of runbook versions in PostgreSQL ({@code runbook_approvals}). An approval pins the
 * content hash, so editing a file without bumping its version leaves it unapproved.
 *
 * <p>Every method returns a future and never blocks; run them from an event loop, or from the
 * CLI's main thread and wait with {@code future.await(timeout, unit)}. Recording is idempotent:
 * the same person approving the same content twice leaves one row (the first time and comment).
 */
public final class RunbookApprovalStore {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final String INSERT = "insert into runbook_approvals"
      + " (runbook_id, version, content_hash, approved_by, comment) values ($1, $2, $3, $4, $5)"
      + " on conflict do nothing";
  private static final String LIST = "select runbook_id, version, content_hash, approved_by, approved_at, comment"
      + " from runbook_approvals where runbook_id = $1 and version = $2 order by approved_at, approved_by";
  private static final String EXISTS = "select exists (select 1 from runbook_approvals"
      + " where runbook_id = $1 and version = $2 and content_hash = $3) as approved";

  private final Pool pool;

  public RunbookApprovalStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records that {@code approvedBy} approved this content. Completes with {@code true} when the
   * approval is new, {@code false} when it was already recorded; fails with
   * {@link ValidationException} for a malformed hash, blank names or a non-positive version.
   */
  public Future<Boolean> record(
      String runbookId, int version, String contentHash, String approvedBy, String comment) {
    return record(pool, runbookId, version, contentHash, approvedBy, comment);
  }

  /**
   * As {@link #record(String, int, String, String, String)}, on {@code client}: a connection in
   * the caller's transaction, so the approval commits together with its audit entry.
   */
  public Future<Boolean> record(SqlClient client,
      String runbookId, int version, String contentHash, String approvedBy, String comment) {
    List<String> problems = new ArrayList<>();
    checkKey(runbookId, version, contentHash, problems);
    if (approvedBy == null || approvedBy.isBlank()) {
      problems.add("approver is required");
    }
    if (!problems.isEmpty()) {
      return Future.failedFuture(new ValidationException(problems));
    }
    String note = comment == null || comment.isBlank() ? null : comment;
    return client.preparedQuery(INSERT)
        .execute(Tuple.of(runbookId, version, contentHash, approvedBy, note))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Every approval of any content of this version, oldest first. */
  public Future<List<RunbookApproval>> list(String runbookId, int version) {
    return pool.preparedQuery(LIST).execute(Tuple.of(runbookId, version)).map(rows -> {
      List<RunbookApproval> approvals = new ArrayList<>();
      for (Row row : rows) {
        approvals.add(new RunbookApproval(
            row.getString("runbook_id"),
            row.getInteger("version"),
            row.getString("content_hash"),
            row.getString("approved_by"),
            row.getOffsetDateTime("approved_at"),
            Optional.ofNullable(row.getString("comment"))));
      }
      return approvals;
    });
  }

  /** Whether anyone approved exactly this content of this version. */
  public Future<Boolean> isApproved(String runbookId, int version, String contentHash) {
    List<String> problems = new ArrayList<>();
    checkKey(runbookId, version, contentHash, problems);
    if (!problems.isEmpty()) {
      return Future.failedFuture(new ValidationException(problems));
    }
    return pool.preparedQuery(EXISTS)
        .execute(Tuple.of(runbookId, version, contentHash))
        .map(rows -> rows.iterator().next().getBoolean("approved"));
  }

  private static void checkKey(String runbookId, int version, String contentHash, List<String> problems) {
    if (runbookId == null || runbookId.isBlank()) {
      problems.add("runbook id is required");
    }
    if (version <= 0) {
      problems.add("version must be positive, got " + version);
    }
    if (contentHash == null || !SHA256_HEX.matcher(contentHash).matches()) {
      problems.add("content hash must be 64 lower-case hex characters (SHA-256)");
    }
  }
}
