package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;

/**
 * The clickstream collector: writes today's events into {@code demo_warehouse.raw_events} (about
 * one a second in standard timing), with the same deterministic generator as the seed history
 * ({@code synthetic_events}) and {@code event_ts = now()}. It is the only writer of raw_events,
 * and its ticks never overlap, so event ids commit in order (the ingest consumer relies on it).
 * Event-loop only.
 */
final class EventGenerator {
  private final Pool pool;
  private final int perTick;
  private LocalDate day;
  private Integer next;

  EventGenerator(Pool pool, int perTick) {
    this.pool = pool;
    this.perTick = perTick;
  }

  void reset() {
    day = null;
    next = null;
  }

  Future<Void> tick() {
    LocalDate today = Times.today();
    if (!today.equals(day)) {
      day = today;
      next = null;
    }
    Future<Integer> start = next != null ? Future.succeededFuture(next)
        : pool.preparedQuery("select count(*)::int as n from demo_warehouse.raw_events where event_date = $1")
            .execute(Tuple.of(today)).map(rows -> rows.iterator().next().getInteger("n"));
    return start.compose(n -> pool.preparedQuery("""
            insert into demo_warehouse.raw_events (event_date, event_ts, user_id, item_id, event_type, amount, source_file)
            select $1, clock_timestamp(), s.user_id, s.item_id, s.event_type, s.amount,
                   'clickstream/live-' || to_char($1::date, 'YYYY-MM-DD') || '.jsonl'
            from demo_warehouse.synthetic_events($1, $2, $3) as s
            order by s.n""")
        .execute(Tuple.of(today, n, n + perTick - 1))
        .map(x -> {
          next = n + perTick;
          return null;
        }));
  }
}
