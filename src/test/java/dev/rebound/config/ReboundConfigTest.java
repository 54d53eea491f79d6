package dev.rebound.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rebound.audit.Masker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReboundConfigTest {
  @TempDir Path dir;

  @Test
  void defaults_apply_when_nothing_is_set() {
    ReboundConfig config = ReboundConfig.from(Map.of());

    assertThat(config.database().host()).isEqualTo("localhost");
    assertThat(config.database().port()).isEqualTo(5432);
    assertThat(config.database().database()).isEqualTo("rebound");
    assertThat(config.database().user()).isEqualTo("rebound");
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().bodyLimitBytes()).isEqualTo(1024 * 1024);
    assertThat(config.http().streamsPerCaller()).isEqualTo(8);
    assertThat(config.environment()).isEqualTo("development");
    assertThat(config.adminToken()).isEmpty();
    assertThat(config.model().baseUrl()).isEmpty();
    assertThat(config.slack().enabled()).isFalse();
    assertThat(config.templateEnv().values()).isEmpty();
    assertThat(config.approvalPolicy().isMissingNode()).isTrue();
    assertThat(config.file()).isEmpty();
  }

  @Test
  void relative_artifact_paths_resolve_against_the_working_directory_unless_another_is_set() {
    assertThat(ReboundConfig.from(Map.of()).artifactBase()).isEqualTo(Path.of("").toAbsolutePath());
    assertThat(ReboundConfig.from(Map.of("REBOUND_ARTIFACT_BASE_DIR", dir + "/demo/../elsewhere")).artifactBase())
        .isEqualTo(dir.resolve("elsewhere"));
  }

  @Test
  void environment_variables_are_read_and_typed() {
    ReboundConfig config = ReboundConfig.from(Map.ofEntries(
        Map.entry("DATABASE_URL", "postgres://ops:s3cret@db.internal:6543/rb?sslmode=require"),
        Map.entry("REBOUND_HTTP_PORT", "9090"),
        Map.entry("REBOUND_HTTP_HOST", "0.0.0.0"),
        Map.entry("REBOUND_BODY_LIMIT", "2048"),
        Map.entry("REBOUND_STREAMS_PER_CALLER", "3"),
        Map.entry("REBOUND_ADMIN_TOKEN", "admin-token-0123456789"),
        Map.entry("REBOUND_ENVIRONMENT", "staging"),
        Map.entry("REBOUND_ACTIVE_RUNBOOKS", "feature-store-restore, model-rollback"),
        Map.entry("REBOUND_INACTIVE_RUNBOOKS", "rag-reindex"),
        Map.entry("REBOUND_OPENAI_BASE_URL", "http://localhost:11434/v1"),
        Map.entry("REBOUND_OPENAI_API_KEY", "sk-test"),
        Map.entry("REBOUND_MODEL", "qwen2.5"),
        Map.entry("SLACK_SIGNING_SECRET", "sign"),
        Map.entry("SLACK_BOT_TOKEN", "xoxb-1")));

    assertThat(config.database().host()).isEqualTo("db.internal");
    assertThat(config.database().port()).isEqualTo(6543);
    assertThat(config.database().database()).isEqualTo("rb");
    assertThat(config.database().user()).isEqualTo("ops");
    assertThat(config.database().password()).map(Secret::reveal).contains("s3cret");
    assertThat(config.database().sslMode()).contains("require");
    assertThat(config.http()).isEqualTo(new HttpSettings("0.0.0.0", 9090, 2048, 3));
    assertThat(config.adminToken()).map(Secret::reveal).contains("admin-token-0123456789");
    assertThat(config.environment()).isEqualTo("staging");
    assertThat(config.activeRunbooks()).containsExactly("feature-store-restore", "model-rollback");
    assertThat(config.inactiveRunbooks()).containsExactly("rag-reindex");
    assertThat(config.model().baseUrl()).contains("http://localhost:11434/v1");
    assertThat(config.model().apiKey()).map(Secret::reveal).contains("sk-test");
    assertThat(config.model().model()).contains("qwen2.5");
    assertThat(config.slack().enabled()).isTrue();
  }

  @Test
  void the_default_database_password_is_masked_but_the_word_rebound_is_not() {
    Masker masker = Masker.of(ReboundConfig.from(Map.of()).secretValues());

    assertThat(masker.mask("rebound feature-store-restore to snap-1 as rebound"))
        .isEqualTo("rebound feature-store-restore to snap-1 as rebound");
    assertThat(masker.mask("postgresql://rebound:rebound-local-pw@localhost:5432/rebound"))
        .isEqualTo("postgresql://rebound:***@localhost:5432/rebound");
  }

  @Test
  void blank_variables_count_as_unset() {
    ReboundConfig config = ReboundConfig.from(Map.of("REBOUND_HTTP_PORT", "", "REBOUND_ADMIN_TOKEN", "  "));

    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.adminToken()).isEmpty();
  }

  @Test
  void every_bad_value_is_reported_at_once_with_its_own_message() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ReboundConfig.from(Map.of(
        "REBOUND_HTTP_PORT", "abc",
        "REBOUND_BODY_LIMIT", "-5",
        "REBOUND_STREAMS_PER_CALLER", "0",
        "DATABASE_URL", "mysql://u:hunter2@h/db",
        "REBOUND_OPENAI_BASE_URL", "localhost:11434",
        "REBOUND_ADMIN_TOKEN", "short",
        "REBOUND_ACTIVE_RUNBOOKS", "Bad_Id,ok-one",
        "REBOUND_INACTIVE_RUNBOOKS", "ok-one",
        "REBOUND_HTTP_HOST", "my host")));

    assertThat(e.problems()).containsExactlyInAnyOrder(
        "REBOUND_HTTP_PORT: \"abc\" is not a port number (0-65535)",
        "REBOUND_BODY_LIMIT: \"-5\" is not a positive number of bytes",
        "REBOUND_STREAMS_PER_CALLER: \"0\" is not a positive whole number",
        "DATABASE_URL: \"mysql://***@h/db\" is not a PostgreSQL URL"
            + " (expected postgresql://user:password@host:port/database)",
        "REBOUND_OPENAI_BASE_URL: \"localhost:11434\" is not an http(s) URL",
        "REBOUND_ADMIN_TOKEN: too short (5 characters); use at least 16 random characters",
        "REBOUND_ACTIVE_RUNBOOKS: \"Bad_Id\" is not a runbook id (lower-case letters, digits and '-')",
        "REBOUND_INACTIVE_RUNBOOKS: \"ok-one\" is also in REBOUND_ACTIVE_RUNBOOKS",
        "REBOUND_HTTP_HOST: \"my host\" is not a host name or address");
    assertThat(e.report()).startsWith("invalid configuration:\n  ").doesNotContain("hunter2", "short\"");
    assertThat(e.code()).isEqualTo("invalid_config");
  }

  @Test
  void a_forced_runbook_id_that_names_no_runbook_is_warned_about() {
    ReboundConfig config = ReboundConfig.from(Map.of(
        "REBOUND_INACTIVE_RUNBOOKS", "feature-store-restor,model-rollback", "REBOUND_ACTIVE_RUNBOOKS", "gone"));

    assertThat(config.unknownForcedRunbooks(Set.of("feature-store-restore", "model-rollback"))).containsExactly(
        "REBOUND_INACTIVE_RUNBOOKS names 'feature-store-restor', which is no runbook here, so it forces nothing"
            + " (runbooks: feature-store-restore, model-rollback)",
        "REBOUND_ACTIVE_RUNBOOKS names 'gone', which is no runbook here, so it forces nothing"
            + " (runbooks: feature-store-restore, model-rollback)");
    assertThat(config.unknownForcedRunbooks(Set.of("feature-store-restor", "model-rollback", "gone"))).isEmpty();
  }

  @Test
  void port_out_of_range_is_rejected() {
    assertThatThrownBy(() -> ReboundConfig.from(Map.of("REBOUND_HTTP_PORT", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("REBOUND_HTTP_PORT: \"70000\" is not a port number (0-65535)");
  }

  @Test
  void reads_the_project_file() throws IOException {
    Path file = write("""
        environment: production
        template_env:
          FEATURES_URL: {default: "http://localhost:8090/features"}
          DEMO_ADMIN_TOKEN: {secret: true, default: "demo-admin-token"}
          NO_DEFAULT:
        datasources:
          features: {search_path: demo_features}
          warehouse: {url_env: WAREHOUSE_URL}
          archive: {url_env: ARCHIVE_URL}
        approval_policy:
          high: {approvals: 2, roles: [approver, admin]}
        """);

    ReboundConfig config = ReboundConfig.from(Map.of(
        "FEATURES_URL", "http://features.prod",
        "WAREHOUSE_URL", "jdbc:postgresql://wh:5433/warehouse?user=reader&password=pw"), file);

    assertThat(config.environment()).isEqualTo("production");
    assertThat(config.templateEnv().values()).containsExactly(
        Map.entry("FEATURES_URL", "http://features.prod"), Map.entry("DEMO_ADMIN_TOKEN", "demo-admin-token"));
    assertThat(config.templateEnv().declared()).containsKey("NO_DEFAULT");
    assertThat(config.templateEnv().secretNames()).containsExactly("DEMO_ADMIN_TOKEN");
    assertThat(config.templateEnv().toString()).doesNotContain("demo-admin-token");
    assertThat(config.datasources().get("features").searchPath()).contains("demo_features");
    DatabaseUrl warehouse = config.datasources().get("warehouse").url().orElseThrow();
    assertThat(warehouse.host()).isEqualTo("wh");
    assertThat(warehouse.user()).isEqualTo("reader");
    assertThat(config.datasources().get("archive").isMissingUrl()).isTrue();
    assertThat(config.approvalPolicy().at("/high/approvals").asInt()).isEqualTo(2);
    assertThat(config.secretValues()).contains("demo-admin-token", "pw", "rebound-local-pw");
    assertThat(config.file()).contains(file);
  }

  @Test
  void environments_are_the_files_list_or_the_defaults_and_always_the_configured_one() throws IOException {
    assertThat(ReboundConfig.from(Map.of()).environments())
        .containsExactlyInAnyOrder("development", "staging", "production");
    assertThat(ReboundConfig.from(Map.of("REBOUND_ENVIRONMENT", "qa"), write("environments: [staging, production]\n"))
        .environments()).containsExactlyInAnyOrder("staging", "production", "qa");
    assertThatThrownBy(() -> ReboundConfig.from(Map.of(), write("environments: production\n")))
        .hasMessageEndingWith("rebound.yaml:1:15: environments must be a non-empty list of names, e.g. [staging, production]");
  }

  @Test
  void the_environment_overrides_the_file() throws IOException {
    Path file = write("environment: production\n");

    assertThat(ReboundConfig.from(Map.of("REBOUND_ENVIRONMENT", "drill"), file).environment()).isEqualTo("drill");
  }

  @Test
  void secrets_in_the_file_are_refused_and_never_used() throws IOException {
    Path file = write("""
        environment: production
        admin_token: from-the-file-0123456789
        slack_bot_token: xoxb-file
        db_password: x
        """);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ReboundConfig.from(Map.of(), file));

    assertThat(e.problems()).containsExactly(
        file + ":2:1: 'admin_token' looks like a secret: set REBOUND_ADMIN_TOKEN in the environment, never in this file",
        file + ":3:1: 'slack_bot_token' looks like a secret: set SLACK_BOT_TOKEN in the environment, never in this file",
        file + ":4:1: 'db_password' looks like a secret: set an environment variable in the environment, never in this file");
    assertThat(e.report()).doesNotContain("from-the-file", "xoxb-file");
  }

  @Test
  void the_slack_block_is_read_and_each_bad_value_named_with_its_position() throws IOException {
    Path good = write("""
        slack:
          channel: "#incidents"
          console_url: https://rebound.example.com/
          console_required_for: [high, medium]
        """);
    SlackSettings slack = ReboundConfig.from(Map.of("SLACK_SIGNING_SECRET", "s", "SLACK_BOT_TOKEN", "xoxb-1",
        "SLACK_API_BASE_URL", "http://127.0.0.1:9999/"), good).slack();
    assertThat(slack.enabled()).isTrue();
    assertThat(slack.policy().channel()).contains("#incidents");
    assertThat(slack.policy().consoleUrl()).contains("https://rebound.example.com");
    assertThat(slack.policy().requiresConsole("high")).isTrue();
    assertThat(slack.policy().requiresConsole("low")).isFalse();
    assertThat(slack.apiBaseUrl()).isEqualTo("http://127.0.0.1:9999");
    assertThat(ReboundConfig.from(Map.of("REBOUND_CONSOLE_URL", "http://127.0.0.1:28080/"), good).slack().policy()
        .consoleUrl()).as("REBOUND_CONSOLE_URL overrides slack.console_url").contains("http://127.0.0.1:28080");
    assertThat(catchThrowableOfType(ConfigException.class, () -> ReboundConfig.from(
        Map.of("REBOUND_CONSOLE_URL", "console"), good)).problems()).singleElement().asString()
        .startsWith("REBOUND_CONSOLE_URL");

    Path bad = write("""
        slack:
          channel: incidents channel
          console_required_for: [high, urgent]
          webhook: x
        """);
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ReboundConfig.from(Map.of("SLACK_BOT_TOKEN", "xoxb-1"), bad));
    assertThat(e.problems()).containsExactly(
        bad + ":4:3: unknown key 'webhook' in slack (known: channel, console_required_for, console_url)",
        bad + ":2:12: slack.channel must be a channel name like \"#incidents\" or a channel id like C0123ABCD;"
            + " got 'incidents channel'",
        bad + ":3:32: slack.console_required_for: 'urgent' is not a risk (low, medium, high)",
        bad + ":3:25: slack.console_required_for needs slack.console_url (or REBOUND_CONSOLE_URL): the message"
            + " links to the console for those approvals",
        "SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN: set both to enable Slack, or neither (only SLACK_BOT_TOKEN is set)");
  }

  @Test
  void console_required_for_is_satisfied_by_a_console_url_from_the_environment() throws IOException {
    Path file = write("""
        slack:
          console_required_for: [high]
        """);
    SlackPolicy policy = ReboundConfig.from(Map.of("REBOUND_CONSOLE_URL", "https://rebound.example.test"), file)
        .slack().policy();
    assertThat(policy.consoleUrl()).contains("https://rebound.example.test");
    assertThat(policy.requiresConsole("high")).isTrue();
  }

  @Test
  void the_engine_block_sets_the_settle_window_and_names_bad_values_where_they_are() throws IOException {
    assertThat(ReboundConfig.from(Map.of(), write("environment: production\n")).settle())
        .isEqualTo(new SettleSettings(Duration.ofSeconds(30), Duration.ofSeconds(2)));
    assertThat(ReboundConfig.from(Map.of(), write("engine: {settle_window: 0s, settle_interval: 500ms}\n")).settle())
        .isEqualTo(new SettleSettings(Duration.ZERO, Duration.ofMillis(500)));
    Path file = write("""
        engine:
          settle_window: soon
          settle_interval: 0s
          settle: 1m
        """);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ReboundConfig.from(Map.of(), file));

    assertThat(e.problems()).containsExactlyInAnyOrder(
        file + ":4:3: unknown key 'settle' in engine (known: settle_interval, settle_window)",
        file + ":2:18: engine.settle_window must be a duration such as 30s, 2m or 0s (no re-checks); got 'soon'",
        file + ":3:20: engine.settle_interval must be a positive duration such as 2s or 500ms; got '0s'");
  }

  @Test
  void file_problems_name_the_line_and_column() throws IOException {
    Path file = write("""
        environment: production
        aproval_policy: {}
        template_env:
          REBOUND_ADMIN_TOKEN: {default: x}
          GOOD: {default: a, secret: maybe, extra: 1}
        datasources:
          both: {search_path: a, url_env: B}
          bad_schema: {search_path: "a; drop table x"}
        """);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ReboundConfig.from(Map.of(), file));

    assertThat(e.problems()).containsExactly(
        file + ":2:1: unknown key 'aproval_policy' (known: approval_policy, datasources, drills, engine, environment,"
            + " environments, slack, template_env)",
        file + ":4:3: template_env: 'REBOUND_ADMIN_TOKEN' is one of Rebound's own settings and must not be exposed to runbooks",
        file + ":5:37: unknown key 'extra' (known: default, secret)",
        file + ":5:30: template_env.GOOD.secret must be true or false",
        file + ":7:9: datasource 'both' needs exactly one of search_path or url_env",
        file + ":8:29: datasource 'bad_schema': search_path \"a; drop table x\" must be lower-case schema names separated by commas");
  }

  @Test
  void malformed_yaml_is_one_problem_with_a_position() throws IOException {
    Path file = write("environment: [unclosed\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ReboundConfig.from(Map.of(), file));

    assertThat(e.problems()).singleElement().asString().startsWith(file + ":2:1: malformed YAML");
  }

  @Test
  void load_uses_REBOUND_CONFIG_else_rebound_yaml_in_the_working_directory() throws IOException {
    write("environment: from-default-name\n");
    Files.writeString(dir.resolve("other.yaml"), "environment: from-named-file\n");

    assertThat(ReboundConfig.load(Map.of(), dir).environment()).isEqualTo("from-default-name");
    assertThat(ReboundConfig.load(Map.of("REBOUND_CONFIG", "other.yaml"), dir).environment())
        .isEqualTo("from-named-file");
    assertThatThrownBy(() -> ReboundConfig.load(Map.of("REBOUND_CONFIG", "missing.yaml"), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("missing.yaml:1:1: file not found");
    assertThat(ReboundConfig.load(Map.of(), dir.resolve("nowhere")).file()).isEmpty();
  }

  @Test
  void the_shipped_rebound_yaml_is_valid() {
    ReboundConfig config = ReboundConfig.from(Map.of(), Path.of("rebound.yaml"));

    assertThat(config.environment()).isEqualTo("production");
    assertThat(config.templateEnv().secretNames()).contains("DEMO_ADMIN_TOKEN");
    assertThat(config.datasources()).containsKeys("features", "registry", "rag", "warehouse");
    assertThat(config.approvalPolicy().has("high")).isTrue();
  }

  @Test
  void to_string_never_shows_secrets() {
    ReboundConfig config = ReboundConfig.from(Map.of(
        "DATABASE_URL", "postgresql://u:dbpass@h/d",
        "REBOUND_ADMIN_TOKEN", "admin-token-0123456789",
        "REBOUND_OPENAI_API_KEY", "sk-abc"));

    assertThat(config.toString()).doesNotContain("dbpass", "admin-token-0123456789", "sk-abc");
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("rebound.yaml"), yaml);
  }
}
