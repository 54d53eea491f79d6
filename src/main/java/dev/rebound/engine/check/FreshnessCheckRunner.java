package dev.rebound.engine.check;

import dev.rebound.engine.target.Datasources;
import dev.rebound.engine.target.Deadline;
import dev.rebound.engine.target.SqlValues;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.runbook.Check;
import dev.rebound.runbook.Durations;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code check: freshness}: the query returns the newest timestamp; it passes when that is at
 * most {@code max_lag} old. "Now" is the database's clock ({@code clock_timestamp()} right after
 * the query, same transaction), not Rebound's, because the timestamps were written by the
 * database's clock and the two hosts' clocks may differ. {@code timestamp without time zone}
 * values are read as UTC; numbers as epoch seconds. NULL or no rows fails: nothing is fresh.
 */
final class FreshnessCheckRunner implements CheckRunner {
  private final Datasources datasources;

  FreshnessCheckRunner(Datasources datasources) {
    this.datasources = datasources;
  }

  private record Times(Instant newest, Instant now) {}

  @Override
  public CheckResult run(Check rendered, CheckContext ctx) {
    Check.Freshness check = (Check.Freshness) rendered;
    String name = check.name().orElse("freshness on " + check.datasource());
    String expected = "lag at most " + Durations.format(check.maxLag());
    long start = System.nanoTime();
    Times times;
    try {
      times = datasources.inTransaction(check.datasource(), true, Deadline.after(ctx.timeout()), session -> {
        Instant newest;
        try (PreparedStatement statement = session.prepare(check.sql(), check.args());
            ResultSet rs = statement.executeQuery()) {
          newest = rs.next() ? SqlValues.instant(rs, 1) : null;
        }
        try (PreparedStatement statement = session.prepare("select clock_timestamp()", List.of());
            ResultSet rs = statement.executeQuery()) {
          rs.next();
          return new Times(newest, rs.getObject(1, OffsetDateTime.class).toInstant());
        }
      });
    } catch (TargetCallException | IllegalArgumentException e) {
      return CheckResult.fail("freshness", name, "no result", expected, e.getMessage(), Texts.millis(start));
    }
    if (times.newest() == null) {
      return CheckResult.fail("freshness", name, "no timestamp", expected,
          "the query returned no rows or NULL: nothing is fresh", Texts.millis(start));
    }
    Duration lag = Duration.between(times.newest(), times.now());
    String observed = lag.isNegative()
        ? "newest " + times.newest() + " is " + Texts.duration(lag.negated()) + " in the future"
        : "lag " + Texts.duration(lag) + " (newest " + times.newest() + ")";
    boolean passed = lag.compareTo(check.maxLag()) <= 0;
    String message = passed ? "ok" : "newest timestamp is " + Texts.duration(lag) + " old, more than "
        + Durations.format(check.maxLag());
    return new CheckResult("freshness", name, passed, observed, expected, message, Texts.millis(start));
  }
}
