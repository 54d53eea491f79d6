package dev.rebound.engine.action;

import static dev.rebound.engine.TestJson.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.Masker;
import dev.rebound.config.Datasource;
import dev.rebound.engine.target.Datasources;
import dev.rebound.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqlActionExecutorIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create().withoutMigrations();

  private static final String SECRET = "hunter2-secret";
  private SqlActionExecutor executor;
  private final ActionContext ctx = ActionContext.of("run-1", "restore", 1, "run-1/restore", Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws SQLException {
    sql("drop schema if exists it_sql cascade",
        "create schema it_sql",
        "create table it_sql.widgets (id int primary key, name text not null, updated_at timestamptz)",
        "insert into it_sql.widgets values (1, 'one', now()), (2, 'two', now()), (3, 'three', now())");
    executor = new SqlActionExecutor(new Datasources(db.url(), Map.of(
        "it", new Datasource("it", Optional.of("it_sql"), Optional.empty(), Optional.empty()),
        "ext", new Datasource("ext", Optional.empty(), Optional.of("EXT_DATABASE_URL"), Optional.of(db.url())),
        "unset", new Datasource("unset", Optional.empty(), Optional.of("UNSET_URL"), Optional.empty()))),
        Masker.of(List.of(SECRET)));
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private static long count(String query) throws SQLException {
    try (Connection c = db.jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private ActionFailedException failure(String json, ActionContext context) {
    return catchThrowableOfType(ActionFailedException.class, () -> executor.execute(action(json), context));
  }

  @Test
  void arguments_are_bound_so_an_injection_attempt_stays_a_literal_value() throws SQLException {
    String evil = "x'); drop table it_sql.widgets; --";

    ActionOutcome outcome = executor.execute(action("{type: 'sql', datasource: 'it',"
        + " sql: 'insert into widgets (id, name) values ($1, $2) returning id, name',"
        + " args: [4, \"" + evil + "\"]}"), ctx);

    assertThat(outcome.output().get("name").textValue()).isEqualTo(evil);
    assertThat(outcome.output().get("id").intValue()).isEqualTo(4);
    assertThat(count("select count(*) from it_sql.widgets")).as("the table is intact").isEqualTo(4);
    try (Connection c = db.jdbc();
        var statement = c.prepareStatement("select count(*) from it_sql.widgets where id = 4 and name = ?")) {
      statement.setString(1, evil);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).as("stored exactly as given").isEqualTo(1);
      }
    }
  }

  @Test
  void string_arguments_take_their_type_from_the_placeholder() {
    ActionOutcome outcome = executor.execute(action("{type: 'sql', datasource: 'it', read_only: true,"
        + " sql: 'select count(*) as n from widgets where id = $1 and updated_at < $2 and $3::text::bigint = 7',"
        + " args: ['2', '2999-01-01T00:00:00Z', 7]}"), ctx);

    assertThat(outcome.output().get("n").longValue()).isEqualTo(1);
  }

  @Test
  void output_is_the_first_row_and_the_row_count() {
    ActionOutcome outcome = executor.execute(action("{type: 'sql', datasource: 'it', read_only: true,"
        + " sql: \"select id, name, id * 1.5 as ratio, id > 1 as big, null as nothing, jsonb_build_object('a', 1) as doc,"
        + " timestamptz '2026-01-02 03:04:05+00' as at, 99 as row_count from widgets order by id\"}"), ctx);

    ObjectNode output = outcome.output();
    assertThat(output.get("row_count").longValue()).as("the fixed field wins over a column").isEqualTo(3);
    assertThat(output.get("id").intValue()).isEqualTo(1);
    assertThat(output.get("name").textValue()).isEqualTo("one");
    assertThat(output.get("ratio").decimalValue()).isEqualByComparingTo("1.5");
    assertThat(output.get("big").booleanValue()).isFalse();
    assertThat(output.get("nothing").isNull()).isTrue();
    assertThat(output.get("doc").get("a").intValue()).isEqualTo(1);
    assertThat(output.get("at").textValue()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(outcome.summary()).startsWith("sql on it: 3 rows in ");
  }

  @Test
  void a_statement_without_rows_reports_the_rows_it_changed() throws SQLException {
    ActionOutcome outcome = executor.execute(action("{type: 'sql', datasource: 'it',"
        + " sql: 'update widgets set name = $1 where id >= $2', args: ['renamed', 2]}"), ctx);

    assertThat(outcome.output().toString()).isEqualTo("{\"row_count\":2}");
    assertThat(outcome.summary()).contains("2 rows affected");
    assertThat(count("select count(*) from it_sql.widgets where name = 'renamed'")).isEqualTo(2);
  }

  @Test
  void the_statement_timeout_comes_from_the_step_timeout_and_the_transaction_is_rolled_back() throws SQLException {
    ActionContext shortTimeout = ActionContext.of("run-1", "restore", 1, "k", Duration.ofMillis(500));
    long start = System.nanoTime();

    ActionFailedException e = failure("{type: 'sql', datasource: 'it',"
        + " sql: 'with d as (delete from widgets returning 1) select pg_sleep(5), (select count(*) from d)'}", shortTimeout);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(e.getMessage()).contains("timed out after 500ms").contains("rolled back");
    assertThat(e.retryable()).isTrue();
    assertThat(e.outcomeUnknown()).as("nothing committed").isFalse();
    assertThat(count("select count(*) from it_sql.widgets")).isEqualTo(3);
  }

  @Test
  void read_only_is_enforced_by_the_server() throws SQLException {
    ActionFailedException e = failure("{type: 'sql', datasource: 'it', read_only: true, sql: 'delete from widgets'}", ctx);

    assertThat(e.getMessage()).contains("read-only transaction").contains("25006");
    assertThat(e.retryable()).isFalse();
    assertThat(count("select count(*) from it_sql.widgets")).isEqualTo(3);
  }

  @Test
  void a_datasource_with_url_env_uses_that_database_without_a_search_path() {
    ActionOutcome outcome = executor.execute(action("{type: 'sql', datasource: 'ext', read_only: true,"
        + " sql: \"select count(*) as n, current_setting('search_path') as path from it_sql.widgets\"}"), ctx);

    assertThat(outcome.output().get("n").longValue()).isEqualTo(3);
    assertThat(outcome.output().get("path").textValue()).doesNotContain("it_sql");
  }

  @Test
  void unusable_datasources_and_bad_sql_are_not_retryable() {
    ActionFailedException unknown = failure("{type: 'sql', datasource: 'nope', sql: 'select 1'}", ctx);
    ActionFailedException unset = failure("{type: 'sql', datasource: 'unset', sql: 'select 1'}", ctx);
    ActionFailedException syntax = failure("{type: 'sql', datasource: 'it', sql: 'selec 1'}", ctx);
    ActionFailedException missing = failure("{type: 'sql', datasource: 'it', sql: 'select * from gadgets'}", ctx);

    assertThat(unknown.getMessage()).startsWith("datasource 'nope' is not configured");
    assertThat(unset.getMessage()).contains("UNSET_URL, which is not set");
    assertThat(syntax.getMessage()).contains("syntax error").contains("42601");
    assertThat(missing.getMessage()).contains("\"gadgets\" does not exist");
    assertThat(List.of(unknown, unset, syntax, missing)).allSatisfy(e -> {
      assertThat(e.retryable()).isFalse();
      assertThat(e.outcomeUnknown()).isFalse();
    });
  }

  @Test
  void secrets_in_rows_and_errors_are_masked() {
    ActionOutcome outcome = executor.execute(action("{type: 'sql', datasource: 'it', read_only: true,"
        + " sql: 'select $1::text as token', args: ['Bearer " + SECRET + "']}"), ctx);
    ActionFailedException e = failure("{type: 'sql', datasource: 'it',"
        + " sql: 'select cast($1 as int)', args: ['" + SECRET + "']}", ctx);

    assertThat(outcome.output().get("token").textValue()).isEqualTo("Bearer ***");
    assertThat(e.getMessage()).contains("***").doesNotContain(SECRET);
  }

  @Test
  void a_database_that_is_down_is_retryable_with_nothing_applied() {
    SqlActionExecutor down = new SqlActionExecutor(new Datasources(db.url().withPort(1),
        Map.of("it", new Datasource("it", Optional.of("it_sql"), Optional.empty(), Optional.empty()))), Masker.none());

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class,
        () -> down.execute(action("{type: 'sql', datasource: 'it', sql: 'select 1'}"), ctx));

    assertThat(e.getMessage()).contains("cannot connect");
    assertThat(e.retryable()).isTrue();
    assertThat(e.outcomeUnknown()).isFalse();
  }
}
