package dev.rebound.slack;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where Rebound posted about something (table {@code slack_messages}): an incident's suggestion
 * message (its thread holds the incident's conversation and runs), a run's status message, a
 * step attempt's approval request. {@link #claim} makes "post once" hold across retries and
 * replicas, and {@link #closing} "close once" for approval requests, which are kept by run while
 * open. Non-blocking.
 */
final class PostedMessages {
  /** A posted message; {@code threadTs} is the thread it was posted in, if any. */
  record Posted(String channel, String ts, Optional<String> threadTs) {
    /** The thread replies about this message go to: its own thread, or the one it is in. */
    String thread() {
      return threadTs.orElse(ts);
    }
  }

  /** An approval request still open (its buttons live): which step attempt, and where it is. */
  record Request(String subject, String stepId, int attempt, Posted posted) {}

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

  /** As {@link #claim}, for a step attempt's approval request, kept as open under its run until closed. */
  Future<Boolean> claimRequest(String runId, String subject, String channel) {
    return pool.preparedQuery("insert into slack_messages (subject, channel, ts, run_id) values ($1, $2, $3, $4)"
            + " on conflict do nothing")
        .execute(Tuple.of(subject, channel, PENDING, runId)).map(rows -> rows.rowCount() == 1);
  }

  /** The run's approval requests posted and not closed yet. */
  Future<List<Request>> openRequests(String runId) {
    return pool.preparedQuery("select subject, channel, ts, thread_ts from slack_messages where run_id = $1"
            + " and closed_at is null and ts <> $2 order by created_at")
        .execute(Tuple.of(runId, PENDING))
        .map(rows -> {
          List<Request> out = new ArrayList<>();
          String prefix = "approval:" + runId + "/";
          rows.forEach(row -> {
            // approval:<run>/<step>/<attempt>[/voided:<ts>]: step ids hold no slash.
            String[] stepAttempt = row.getString("subject").substring(prefix.length()).split("/");
            out.add(new Request(row.getString("subject"), stepAttempt[0], Integer.parseInt(stepAttempt[1]),
                posted(row)));
          });
          return out;
        });
  }

  /** An approval request this caller closed: where it is, and whether it was open until now. */
  record Closed(Posted posted, boolean wasOpen) {}

  /**
   * Marks the approval request {@code subject} closed; it when this caller did (the caller then
   * updates the message, or {@link #reopen}s it when Slack did not take the update), empty when it
   * was closed before or never posted. {@code giveWay}: a new request for the same attempt is
   * due (its approvals were voided, or the step is retried after a rejection, which executed
   * nothing): the request, open or already closed, is renamed ({@code SUBJECT/voided:TS}) so that
   * the new one is posted under {@code subject}. Without {@code giveWay}, a request the step awaits
   * now is not closed: its attempt was retried or its approvals voided since the decision being
   * told (on another replica, whose events this one does not see), and the request under
   * {@code subject} is the new one, which must keep its buttons.
   */
  Future<Optional<Closed>> closing(String subject, boolean giveWay) {
    // The old row is locked first: a second replica waits, then finds the subject closed or renamed.
    return pool.preparedQuery("with old as (select subject, closed_at is null as was_open from slack_messages m"
            + " where subject = $1 and ts <> $2" + (giveWay ? "" : " and closed_at is null and not exists ("
            + " select 1 from run_steps s where s.run_id = m.run_id and s.state = 'awaiting_approval'"
            + " and m.subject = 'approval:' || s.run_id || '/' || s.step_id || '/' || (s.attempt + 1))")
            + " for update)"
            + " update slack_messages m set closed_at = coalesce(m.closed_at, now())"
            + (giveWay ? ", subject = m.subject || '/voided:' || m.ts" : "")
            + " from old where m.subject = old.subject returning m.channel, m.ts, m.thread_ts, old.was_open")
        .execute(Tuple.of(subject, PENDING))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new Closed(posted(rows.iterator().next()),
            rows.iterator().next().getBoolean("was_open"))));
  }

  /** The request whose closing Slack did not take is open again, for a later event to close. */
  Future<Void> reopen(Posted request) {
    return pool.preparedQuery("update slack_messages set closed_at = null where channel = $1 and ts = $2")
        .execute(Tuple.of(request.channel(), request.ts())).mapEmpty();
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
