package dev.rebound.slack;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Slack requests already handled, in PostgreSQL so every replica agrees (table
 * {@code slack_requests}). Non-blocking; safe to call concurrently: the primary key decides
 * which of two simultaneous deliveries is first.
 */
final class SeenRequests {
  private final Pool pool;

  SeenRequests(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records {@code key}; true when it was not recorded before (this delivery does the work),
   * false for a retry or replay.
   */
  Future<Boolean> firstTime(String key) {
    return pool.preparedQuery("insert into slack_requests (dedup_key) values ($1) on conflict do nothing")
        .execute(Tuple.of(key)).map(rows -> rows.rowCount() == 1);
  }

  /**
   * Forgets {@code key} so that it counts as new again: for work that was claimed but not done
   * (a form answered with errors may be submitted again from the same view).
   */
  Future<Void> forget(String key) {
    return pool.preparedQuery("delete from slack_requests where dedup_key = $1").execute(Tuple.of(key)).mapEmpty();
  }

  /** Forgets keys older than a day: by then the timestamp window refuses replays and Slack stopped retrying. */
  Future<Integer> prune() {
    return pool.query("delete from slack_requests where received_at < now() - interval '1 day'").execute()
        .map(rows -> rows.rowCount());
  }

}
