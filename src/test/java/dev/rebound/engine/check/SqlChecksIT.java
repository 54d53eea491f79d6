package dev.rebound.engine.check;

import static dev.rebound.engine.TestJson.check;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.audit.Masker;
import dev.rebound.config.Datasource;
import dev.rebound.engine.target.Datasources;
import dev.rebound.engine.target.HttpTarget;
import dev.rebound.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sql, freshness and drift checks against a real PostgreSQL. */
class SqlChecksIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create().withoutMigrations();

  private static CheckRunners runners;
  private final CheckContext ctx = CheckContext.of(Duration.ofSeconds(10));

  @BeforeAll
  static void setUp() throws SQLException {
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("create schema it_checks");
      s.execute("create table it_checks.feature_values (name text, value float8, updated_at timestamptz,"
          + " local_ts timestamp)");
      s.execute("insert into it_checks.feature_values select 'f' || g, g, now() - interval '30 seconds',"
          + " (now() at time zone 'UTC') - interval '30 seconds' from generate_series(1, 1000) g");
      s.execute("create table it_checks.empty_events (ts timestamptz)");
      s.execute("create table it_checks.labels (label text)");
      s.execute("insert into it_checks.labels values ('cat'), ('dog')");
    }
    Datasources datasources = new Datasources(db.url(), Map.of(
        "features", new Datasource("features", Optional.of("it_checks"), Optional.empty(), Optional.empty())));
    runners = CheckRunners.standard(datasources, new HttpTarget(), Path.of("."), id -> Optional.empty(),
        Masker.of(List.of("s3cret-label")));
  }

  private CheckResult run(String json) {
    return runners.run(check(json), ctx);
  }

  // sql

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource(delimiter = '|', value = {
      "select count(*) from feature_values                    | {equals: 1000}        | true",
      "select count(*) from feature_values                    | {equals: 999}         | false",
      "select count(*) from feature_values where value > $1   | {not_equals: 0}       | true",
      "select avg(value) from feature_values                  | {less_than: 500.5}    | false",
      "select avg(value) from feature_values                  | {at_most: 500.5}      | true",
      "select max(value) from feature_values                  | {greater_than: 999}   | true",
      "select min(value) from feature_values                  | {at_least: 2}         | false",
      "select count(*) / 10.0 from feature_values             | {between: [99, 100]}  | true",
      "select label from labels order by label                | {equals: 'cat'}       | true",
      "select label from labels where label = 'cow'           | {equals: 'cow'}       | false",
  })
  void sql_applies_the_expectation_to_the_first_column_of_the_first_row(String sql, String expect, boolean passed) {
    CheckResult result = run("{check: 'sql', datasource: 'features', sql: \"" + sql + "\", args: [500],"
        + " expect: " + expect + "}");

    assertThat(result.passed()).as(result.toString()).isEqualTo(passed);
  }

  @Test
  void sql_reports_observed_and_expected() {
    CheckResult result = run("{check: 'sql', name: 'all features present', datasource: 'features',"
        + " sql: 'select count(*) from feature_values', expect: {at_least: 2000}}");

    assertThat(result.name()).isEqualTo("all features present");
    assertThat(result.observed()).isEqualTo("1000");
    assertThat(result.expected()).isEqualTo("at least 2000");
    assertThat(result.message()).isEqualTo("is 1000, expected at least 2000");
  }

  @Test
  void sql_runs_read_only_and_honours_the_timeout() {
    CheckResult write = run("{check: 'sql', datasource: 'features', sql: 'delete from labels returning 1',"
        + " expect: {equals: 1}}");
    long start = System.nanoTime();
    CheckResult slow = runners.run(check("{check: 'sql', datasource: 'features', sql: 'select pg_sleep(5)',"
        + " expect: {equals: 1}}"), CheckContext.of(Duration.ofMillis(400)));

    assertThat(write.passed()).isFalse();
    assertThat(write.message()).contains("read-only transaction");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(slow.passed()).isFalse();
    assertThat(slow.message()).contains("timed out after 400ms");
  }

  @Test
  void sql_results_are_masked() {
    CheckResult result = run("{check: 'sql', datasource: 'features', sql: 'select $1::text',"
        + " args: ['s3cret-label'], expect: {equals: 'other'}}");

    assertThat(result.toString()).doesNotContain("s3cret-label");
    assertThat(result.observed()).isEqualTo("***");
  }

  // freshness

  @Test
  void freshness_passes_within_max_lag_and_fails_beyond_it() {
    CheckResult fresh = run("{check: 'freshness', datasource: 'features', sql: 'select max(updated_at) from feature_values',"
        + " max_lag: '2m'}");
    CheckResult stale = run("{check: 'freshness', datasource: 'features', sql: 'select max(updated_at) from feature_values',"
        + " max_lag: '10s'}");

    assertThat(fresh.passed()).as(fresh.toString()).isTrue();
    assertThat(fresh.observed()).matches("lag 3\\ds \\(newest .*Z\\)");
    assertThat(fresh.expected()).isEqualTo("lag at most 2m");
    assertThat(stale.passed()).isFalse();
    assertThat(stale.message()).matches("newest timestamp is 3\\ds old, more than 10s");
  }

  @Test
  void freshness_reads_timestamps_without_time_zone_as_utc_and_fails_on_no_data() {
    CheckResult local = run("{check: 'freshness', datasource: 'features', sql: 'select max(local_ts) from feature_values',"
        + " max_lag: '2m'}");
    CheckResult empty = run("{check: 'freshness', datasource: 'features', sql: 'select max(ts) from empty_events',"
        + " max_lag: '2m'}");
    CheckResult notATime = run("{check: 'freshness', datasource: 'features', sql: 'select label from labels',"
        + " max_lag: '2m'}");

    assertThat(local.passed()).as(local.toString()).isTrue();
    assertThat(empty.passed()).isFalse();
    assertThat(empty.message()).contains("nothing is fresh");
    assertThat(notATime.passed()).isFalse();
    assertThat(notATime.message()).isEqualTo("'cat' (text) is not a timestamp");
  }

  // drift

  @Test
  void drift_passes_for_the_same_distribution_and_fails_for_a_shifted_one() {
    String reference = "select value from feature_values";
    CheckResult psiSame = run("{check: 'drift', datasource: 'features', method: 'psi', threshold: 0.1,"
        + " reference_sql: '" + reference + "', current_sql: 'select g::float8 from generate_series(1, 1000) g'}");
    CheckResult psiShifted = run("{check: 'drift', datasource: 'features', method: 'psi', threshold: 0.1, bins: 4,"
        + " reference_sql: '" + reference + "', current_sql: 'select g + 500.0 from generate_series(1, 1000) g'}");
    CheckResult ksShifted = run("{check: 'drift', name: 'amounts look normal', datasource: 'features', method: 'ks',"
        + " threshold: 0.1, reference_sql: '" + reference + "',"
        + " current_sql: 'select g + 250 from generate_series(1, 1000) g'}");

    assertThat(psiSame.passed()).as(psiSame.toString()).isTrue();
    assertThat(psiSame.observed()).isEqualTo("psi 0.0000");
    assertThat(psiSame.expected()).isEqualTo("psi at most 0.1");
    assertThat(psiShifted.passed()).isFalse();
    assertThat(psiShifted.message()).contains("is above 0.1").contains("reference n=1000, current n=1000, 4 bins");
    assertThat(ksShifted.passed()).isFalse();
    assertThat(ksShifted.observed()).isEqualTo("ks 0.2500");
  }

  @Test
  void drift_skips_nulls_and_fails_on_empty_or_non_numeric_samples() {
    CheckResult withNulls = run("{check: 'drift', datasource: 'features', method: 'ks', threshold: 0.1,"
        + " reference_sql: 'select value from feature_values union all select null',"
        + " current_sql: 'select value from feature_values'}");
    CheckResult empty = run("{check: 'drift', datasource: 'features', method: 'ks', threshold: 0.1,"
        + " reference_sql: 'select value from feature_values', current_sql: 'select 1.0 where false'}");
    CheckResult text = run("{check: 'drift', datasource: 'features', method: 'psi', threshold: 0.1,"
        + " reference_sql: 'select label from labels', current_sql: 'select value from feature_values'}");

    assertThat(withNulls.passed()).isTrue();
    assertThat(empty.passed()).isFalse();
    assertThat(empty.message()).isEqualTo("the current sample is empty");
    assertThat(text.passed()).isFalse();
    assertThat(text.message()).isEqualTo("reference_sql returned 'cat', which is not a finite number");
  }
}
