package dev.rebound.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;

/**
 * For {@code dev.rebound.bench.AuditAppendBench} only: an append without group commit (one
 * autocommit statement per entry), to measure what batching gains.
 */
public final class BenchAccess {
  private BenchAccess() {}

  public static Future<AuditEntry> appendUnbatched(Pool pool, AuditEvent event) {
    return PgAuditLog.appendAll(pool, java.util.List.of(PreparedEntry.of(event, Instant.now(), Masker.none())))
        .map(entries -> entries.get(0));
  }
}
