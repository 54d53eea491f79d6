package dev.rebound.engine.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.engine.target.Datasources;
import dev.rebound.engine.target.Deadline;
import dev.rebound.engine.target.SqlValues;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.runbook.Check;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * {@code check: sql}: runs the query in a read-only transaction and applies {@code expect} to the
 * first column of the first row ({@link Expectations}).
 */
final class SqlCheckRunner implements CheckRunner {
  private final Datasources datasources;

  SqlCheckRunner(Datasources datasources) {
    this.datasources = datasources;
  }

  @Override
  public CheckResult run(Check rendered, CheckContext ctx) {
    Check.Sql check = (Check.Sql) rendered;
    String name = check.name().orElse("sql on " + check.datasource());
    String expected = Expectations.describe(check.expect().operator(), check.expect().value());
    long start = System.nanoTime();
    JsonNode value;
    try {
      value = datasources.inTransaction(check.datasource(), true, Deadline.after(ctx.timeout()), session -> {
        try (PreparedStatement statement = session.prepare(check.sql(), check.args());
            ResultSet rs = statement.executeQuery()) {
          return rs.next() ? SqlValues.value(rs, 1) : null;
        }
      });
    } catch (TargetCallException e) {
      return CheckResult.fail("sql", name, "no result", expected, e.getMessage(), Texts.millis(start));
    }
    Expectations.Verdict verdict = Expectations.evaluate(check.expect(), value);
    String observed = value == null ? "no rows" : value.isNull() ? "NULL" : JsonMatch.show(value);
    return new CheckResult("sql", name, verdict.passed(), observed, verdict.expected(), verdict.problem(),
        Texts.millis(start));
  }
}
