package dev.rebound.engine.check;

import dev.rebound.engine.target.Datasources;
import dev.rebound.engine.target.Deadline;
import dev.rebound.engine.target.SqlSession;
import dev.rebound.engine.target.SqlValues;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.runbook.Check;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * {@code check: drift}: reads the reference and the current sample (first column of each query,
 * NULLs skipped, both in one read-only transaction) and computes PSI or KS
 * ({@link DriftStatistics}); passes when the value is at most {@code threshold}. Each sample may
 * have at most {@link #MAX_SAMPLE} rows: sample larger tables in SQL ({@code tablesample},
 * {@code order by random() limit}).
 */
final class DriftCheckRunner implements CheckRunner {
  static final int MAX_SAMPLE = 1_000_000;

  private final Datasources datasources;

  DriftCheckRunner(Datasources datasources) {
    this.datasources = datasources;
  }

  private record Samples(double[] reference, double[] current) {}

  @Override
  public CheckResult run(Check rendered, CheckContext ctx) {
    Check.Drift check = (Check.Drift) rendered;
    String method = check.method().toLowerCase(Locale.ROOT);
    String name = check.name().orElse("drift (" + method + ") on " + check.datasource());
    String expected = method + " at most " + Texts.number(check.threshold());
    long start = System.nanoTime();
    if (!method.equals("psi") && !method.equals("ks")) {
      return CheckResult.fail("drift", name, "", expected, "unknown method '" + check.method() + "' (psi or ks)", 0);
    }
    Samples samples;
    try {
      samples = datasources.inTransaction(check.datasource(), true, Deadline.after(ctx.timeout()),
          session -> new Samples(sample(session, check.referenceSql(), "reference_sql"),
              sample(session, check.currentSql(), "current_sql")));
    } catch (TargetCallException | IllegalArgumentException e) {
      return CheckResult.fail("drift", name, "no samples", expected, e.getMessage(), Texts.millis(start));
    }
    String sizes = "reference n=" + samples.reference().length + ", current n=" + samples.current().length;
    if (samples.reference().length == 0 || samples.current().length == 0) {
      return CheckResult.fail("drift", name, sizes, expected,
          (samples.reference().length == 0 ? "the reference" : "the current") + " sample is empty", Texts.millis(start));
    }
    double value = method.equals("psi")
        ? DriftStatistics.psi(samples.reference(), samples.current(), check.bins())
        : DriftStatistics.ks(samples.reference(), samples.current());
    String observed = String.format(Locale.ROOT, "%s %.4f", method, value);
    boolean passed = value <= check.threshold();
    String message = (passed ? "ok" : method + " " + String.format(Locale.ROOT, "%.4f", value) + " is above "
        + Texts.number(check.threshold())) + " (" + sizes + (method.equals("psi") ? ", " + check.bins() + " bins" : "") + ")";
    return new CheckResult("drift", name, passed, observed, expected, message, Texts.millis(start));
  }

  private static double[] sample(SqlSession session, String sql, String what) throws SQLException {
    double[] values = new double[1024];
    int n = 0;
    try (PreparedStatement statement = session.prepare(sql, List.of());
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        if (rs.getObject(1) == null) {
          continue;
        }
        OptionalDouble x = SqlValues.number(rs, 1);
        if (x.isEmpty() || !Double.isFinite(x.getAsDouble())) {
          throw new IllegalArgumentException(what + " returned '" + Texts.clip(rs.getString(1), 40)
              + "', which is not a finite number");
        }
        if (n == MAX_SAMPLE) {
          throw new IllegalArgumentException(what + " returned more than " + MAX_SAMPLE + " rows; sample in SQL");
        }
        if (n == values.length) {
          values = Arrays.copyOf(values, n * 2);
        }
        values[n++] = x.getAsDouble();
      }
    }
    return Arrays.copyOf(values, n);
  }
}
