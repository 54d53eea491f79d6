package dev.rebound.slack;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * Where Rebound posted about something (table {@code slack_messages}): an incident's suggestion
 * message (its thread holds the incident's conversation and runs), a run's status message, a
 * step attempt's approval request. {@link #claim} makes "post once" hold across retries and
 * replicas. Non-blocking.
 */
final class PostedMessages {
  /** A posted message; {@code threadTs} is the thread it was posted in, if any. */
  record Posted(String channel, String ts, Optional<String> threadTs) {
    /** The thread replies about this message go to: its own thread, or the one it is in. */
    String thread() {
      return threadTs.orElse(ts);
    }
  }

  private static final String PENDING = "pending";

  private final Pool pool;

  PostedMessages(Pool pool) {
    this.pool = pool;
  }

  static String incident(String id) {
    return "incident:" + id;
  }

  static String run(String id) {
    return "run:" + id;
  }

  static String approval(String runId, String stepId, int attempt) {
    return "approval:" + runId + "/" + stepId + "/" + attempt;
  }

  /** The notice that a run is blocked; {@code seq} is the run's last event then (each block is told once). */
  static String blocked(String runId, long seq) {
    return "blocked:" + runId + "/" + seq;
  }

  Future<Optional<Posted>> find(String subject) {
    return pool.preparedQuery("select channel, ts, thread_ts from slack_messages where subject = $1 and ts <> $2")
        .execute(Tuple.of(subject, PENDING))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(posted(rows.iterator().next())));
  }

  /** True when nobody claimed {@code subject} before: the caller posts it, then {@link #record}s. */
  Future<Boolean> claim(String subject, String channel) {
    return pool.preparedQuery("insert into slack_messages (subject, channel, ts) values ($1, $2, $3)"
            + " on conflict do nothing")
        .execute(Tuple.of(subject, channel, PENDING)).map(rows -> rows.rowCount() == 1);
  }

  Future<Void> record(String subject, Posted posted) {
    return pool.preparedQuery("insert into slack_messages (subject, channel, ts, thread_ts) values ($1, $2, $3, $4)"
            + " on conflict (subject) do update set channel = excluded.channel, ts = excluded.ts,"
            + " thread_ts = excluded.thread_ts")
        .execute(Tuple.of(subject, posted.channel(), posted.ts(), posted.threadTs().orElse(null))).mapEmpty();
  }

  /** The incident whose suggestion message starts the thread {@code threadTs} of {@code channel}. */
  Future<Optional<String>> incidentOfThread(String channel, String threadTs) {
    return pool.preparedQuery("select subject from slack_messages where channel = $1 and ts = $2"
            + " and subject like 'incident:%'")
        .execute(Tuple.of(channel, threadTs))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(rows.iterator().next().getString("subject").substring("incident:".length())));
  }

  /** Runs with a status message, for following them again after a restart. */
  Future<java.util.Map<String, Posted>> runs() {
    return pool.query("select subject, channel, ts, thread_ts from slack_messages where subject like 'run:%'"
            + " and ts <> 'pending'").execute()
        .map(rows -> {
          java.util.Map<String, Posted> out = new java.util.LinkedHashMap<>();
          rows.forEach(row -> out.put(row.getString("subject").substring("run:".length()), posted(row)));
          return out;
        });
  }

  /** Gives up a claim whose post failed, so a later event may try again. */
  Future<Void> release(String subject) {
    return pool.preparedQuery("delete from slack_messages where subject = $1 and ts = $2")
        .execute(Tuple.of(subject, PENDING)).mapEmpty();
  }

  private static Posted posted(Row row) {
    return new Posted(row.getString("channel"), row.getString("ts"), Optional.ofNullable(row.getString("thread_ts")));
  }
}
