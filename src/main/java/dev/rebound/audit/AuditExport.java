package dev.rebound.audit;

import dev.rebound.error.ConflictException;
import dev.rebound.error.ReboundException;
import dev.rebound.error.UnavailableException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes the whole audit log as JSON Lines: first where the chain ends ({@link ExportEnd}:
 * {@code audit_head}'s last seq and hash), then one {@link AuditEntry#toJson()} object per line, in
 * seq order from #1, every field included (seq, at, actors, subject, run, incident, details,
 * prev_hash, hash), so {@link AuditVerifier#verifyExport} can check the file with no database,
 * entries cut off its end included. The head and the entries are read (a page at a time) inside
 * one REPEATABLE READ, READ ONLY transaction: the export is a consistent cut of the chain even
 * while appends continue, and its record of the end is the end of the entries it holds (unless
 * the chain in the database is itself broken: then the export verifies as broken too).
 *
 * <p><b>Blocking</b>: waits for each page on the calling thread and writes to the stream there.
 * Call it from the CLI's main thread or a worker, never from an event loop. Each page must arrive
 * within the timeout, else {@link UnavailableException}.
 */
public final class AuditExport {
  private final Pool pool;
  private final int pageSize;
  private final Duration pageTimeout;

  public AuditExport(Pool pool) {
    this(pool, AuditVerifier.DEFAULT_PAGE_SIZE, Duration.ofSeconds(60));
  }

  public AuditExport(Pool pool, int pageSize, Duration pageTimeout) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be positive");
    }
    this.pool = Objects.requireNonNull(pool, "pool");
    this.pageSize = pageSize;
    this.pageTimeout = Objects.requireNonNull(pageTimeout, "pageTimeout");
  }

  /** Writes every entry as UTF-8 JSON Lines; flushes but does not close {@code out}. */
  public long writeTo(OutputStream out) throws IOException {
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    return writeTo(writer);
  }

  /** As {@link #writeTo(OutputStream)}, to a character stream. Returns the number of entries (the record not counted). */
  public long writeTo(Writer out) throws IOException {
    // Everything committed before the export starts is in it (a failed seal shows in audit verify).
    await(AuditSealer.sealAll(pool).recover(e -> Future.succeededFuture()));
    SqlConnection conn = await(pool.getConnection());
    try {
      Transaction tx = await(conn.begin());
      await(conn.query("set transaction isolation level repeatable read, read only").execute());
      RowSet<Row> heads = await(conn.query(AuditRows.HEAD).execute());
      if (heads.size() != 1) {
        throw new ConflictException("cannot export: audit_head must hold one row, found " + heads.size()
            + " (rebound audit verify says what else is broken)");
      }
      Row head = heads.iterator().next();
      out.write(new ExportEnd(head.getLong("last_seq"), head.getString("last_hash")).toJsonLine());
      out.write('\n');
      long count = 0;
      long after = 0;
      while (true) {
        RowSet<Row> rows = await(conn.preparedQuery(AuditRows.PAGE).execute(Tuple.of(after, pageSize)));
        for (Row row : rows) {
          AuditEntry entry = AuditRows.entry(row);
          out.write(entry.toJsonLine());
          out.write('\n');
          after = entry.seq();
          count++;
        }
        if (rows.size() < pageSize) {
          break;
        }
      }
      await(tx.commit());
      out.flush();
      return count;
    } finally {
      conn.close();
    }
  }

  private <T> T await(Future<T> future) {
    try {
      return future.await(pageTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new UnavailableException("the audit log did not answer within " + pageTimeout.toSeconds() + "s", e);
    } catch (ReboundException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UnavailableException("cannot read the audit log: " + e.getMessage(), e);
    }
  }
}
