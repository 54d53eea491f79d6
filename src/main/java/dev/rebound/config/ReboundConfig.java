package dev.rebound.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rebound's whole configuration, immutable, built once at start-up and passed to every
 * component that needs a setting. Tests build one with {@link #from(Map, Path)} from a map of
 * their own; nothing reads {@code System.getenv()} except {@link #fromEnvironment()}.
 *
 * <p>Sources, in order of precedence: environment variables, then {@code rebound.yaml} (only the
 * non-secret {@code environment}, {@code template_env}, {@code datasources},
 * {@code approval_policy}, {@code slack}), then the defaults in this code. Secrets are read only from the
 * environment.
 *
 * @param database where Rebound's own PostgreSQL is ({@code DATABASE_URL})
 * @param http listen address, body limit and event streams per caller ({@code REBOUND_HTTP_HOST},
 *     {@code REBOUND_HTTP_PORT}, {@code REBOUND_BODY_LIMIT}, {@code REBOUND_STREAMS_PER_CALLER})
 * @param adminToken the break-glass bearer token with role admin ({@code REBOUND_ADMIN_TOKEN})
 * @param environment e.g. {@code production}; runbooks may be active only in some environments
 * @param environments every environment name a runbook's {@code active} map may use: the file's
 *     {@code environments} (default {@link #DEFAULT_ENVIRONMENTS}) plus {@code environment}, so
 *     lint can tell a misspelt name, which would leave the runbook inactive there, from a real one
 * @param activeRunbooks ids forced active ({@code REBOUND_ACTIVE_RUNBOOKS})
 * @param inactiveRunbooks ids forced inactive ({@code REBOUND_INACTIVE_RUNBOOKS}); never
 *     overlaps {@code activeRunbooks}
 * @param model the chat model ({@code REBOUND_OPENAI_BASE_URL}, {@code REBOUND_OPENAI_API_KEY},
 *     {@code REBOUND_MODEL})
 * @param slack Slack app credentials ({@code SLACK_SIGNING_SECRET}, {@code SLACK_BOT_TOKEN})
 * @param templateEnv variables runbooks may use as {@code {{env.NAME}}}, resolved
 * @param datasources SQL datasources runbooks may name, by name
 * @param approvalPolicy the file's {@code approval_policy} as written (a MissingNode when
 *     absent); interpreted by the engine, not here. Treat as read-only.
 * @param file the file that was read, if any
 * @param drills the {@code drills:} block (demo URL, flag age, wait scale), env overrides applied
 * @param settle the {@code engine:} block: how long checks after a change may take to settle
 * @param artifactBaseDir what relative artifact paths resolve against
 *     ({@code REBOUND_ARTIFACT_BASE_DIR}), when not the working directory: see {@link #artifactBase()}
 */
public record ReboundConfig(
    DatabaseUrl database,
    HttpSettings http,
    Optional<Secret> adminToken,
    String environment,
    Set<String> environments,
    Set<String> activeRunbooks,
    Set<String> inactiveRunbooks,
    ModelSettings model,
    SlackSettings slack,
    TemplateEnv templateEnv,
    Map<String, Datasource> datasources,
    JsonNode approvalPolicy,
    Optional<Path> file,
    DrillSettings drills,
    SettleSettings settle,
    Optional<Path> artifactBaseDir) {

  /**
   * The local default (scripts/setup.sh creates this role). Its password is not a word: secret
   * values are masked by value wherever they appear, so a password like "rebound" would turn
   * every "rebound" in run views and audit text into {@code ***}.
   */
  public static final String DEFAULT_DATABASE_URL = "postgresql://rebound:rebound-local-pw@localhost:5432/rebound";
  public static final String DEFAULT_ENVIRONMENT = "development";
  public static final List<String> DEFAULT_ENVIRONMENTS = List.of("development", "staging", "production");
  public static final String FILE_NAME = "rebound.yaml";

  /**
   * The configuration of this process: {@code System.getenv()}, and the file named by
   * {@code REBOUND_CONFIG}, else {@code ./rebound.yaml} when it exists.
   *
   * @throws ConfigException listing every problem found
   */
  public static ReboundConfig fromEnvironment() {
    return load(System.getenv(), Path.of(""));
  }

  /**
   * Like {@link #fromEnvironment()} with an explicit environment and working directory: the file
   * is {@code REBOUND_CONFIG} (which must exist) resolved against {@code workingDir}, else
   * {@code workingDir/rebound.yaml} if present, else none.
   */
  public static ReboundConfig load(Map<String, String> env, Path workingDir) {
    String named = env.get("REBOUND_CONFIG");
    if (named != null && !named.isBlank()) {
      return from(env, workingDir.resolve(named.trim()));
    }
    Path fallback = workingDir.resolve(FILE_NAME);
    return from(env, Files.isRegularFile(fallback) ? fallback : null);
  }

  /** From environment variables alone, no file. */
  public static ReboundConfig from(Map<String, String> env) {
    return from(env, null);
  }

  /**
   * From {@code env} and the file {@code file} ({@code null} for none; a given file must exist).
   *
   * @throws ConfigException with one message per bad value
   */
  public static ReboundConfig from(Map<String, String> env, Path file) {
    List<String> problems = new ArrayList<>();
    EnvReader vars = new EnvReader(env, problems);
    // REBOUND_CONSOLE_URL gives the console's address as well as slack.console_url does.
    boolean consoleUrlFromEnv = vars.text("REBOUND_CONSOLE_URL").isPresent();
    ConfigFile.Settings fromFile =
        file == null ? ConfigFile.Settings.none() : ConfigFile.read(file, consoleUrlFromEnv, problems);

    DatabaseUrl database = DatabaseUrl.parse(
            "DATABASE_URL", vars.text("DATABASE_URL").orElse(DEFAULT_DATABASE_URL), problems)
        .orElse(null);
    HttpSettings http = new HttpSettings(
        vars.host("REBOUND_HTTP_HOST", HttpSettings.DEFAULT_HOST),
        vars.port("REBOUND_HTTP_PORT", HttpSettings.DEFAULT_PORT),
        vars.positiveBytes("REBOUND_BODY_LIMIT", HttpSettings.DEFAULT_BODY_LIMIT),
        vars.positiveCount("REBOUND_STREAMS_PER_CALLER", HttpSettings.DEFAULT_STREAMS_PER_CALLER));
    String environment = vars.text("REBOUND_ENVIRONMENT")
        .or(fromFile::environment).orElse(DEFAULT_ENVIRONMENT);
    Set<String> environments = new java.util.TreeSet<>(
        fromFile.environments().isEmpty() ? DEFAULT_ENVIRONMENTS : fromFile.environments());
    environments.add(environment);
    Set<String> active = vars.runbookIds("REBOUND_ACTIVE_RUNBOOKS");
    Set<String> inactive = vars.runbookIds("REBOUND_INACTIVE_RUNBOOKS");
    for (String id : inactive) {
      if (active.contains(id)) {
        problems.add("REBOUND_INACTIVE_RUNBOOKS: \"" + id + "\" is also in REBOUND_ACTIVE_RUNBOOKS");
      }
    }
    ModelSettings model = new ModelSettings(
        vars.httpUrl("REBOUND_OPENAI_BASE_URL"), vars.secret("REBOUND_OPENAI_API_KEY"), vars.text("REBOUND_MODEL"));
    SlackPolicy slackPolicy = vars.httpUrl("REBOUND_CONSOLE_URL").map(fromFile.slack()::withConsoleUrl)
        .orElse(fromFile.slack());
    SlackSettings slack = new SlackSettings(vars.secret("SLACK_SIGNING_SECRET"), vars.secret("SLACK_BOT_TOKEN"),
        slackPolicy, vars.httpUrl("SLACK_API_BASE_URL").orElse(null));
    if (vars.text("SLACK_SIGNING_SECRET").isPresent() != vars.text("SLACK_BOT_TOKEN").isPresent()) {
      problems.add("SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN: set both to enable Slack, or neither (only "
          + (vars.text("SLACK_BOT_TOKEN").isPresent() ? "SLACK_BOT_TOKEN" : "SLACK_SIGNING_SECRET") + " is set)");
    }
    Optional<Secret> adminToken = vars.token("REBOUND_ADMIN_TOKEN");
    Map<String, Datasource> datasources = resolveDatasources(fromFile, env, problems);
    DrillSettings drills = drillOverrides(fromFile.drills(), vars, problems);
    Optional<Path> artifactBaseDir = vars.path("REBOUND_ARTIFACT_BASE_DIR");

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new ReboundConfig(database, http, adminToken, environment, Set.copyOf(environments), active, inactive, model, slack,
        new TemplateEnv(fromFile.templateEnv(), env), datasources, fromFile.approvalPolicy(),
        Optional.ofNullable(file), drills, fromFile.settle(), artifactBaseDir);
  }

  /**
   * The directory relative artifact paths resolve against: {@code file:./…} URIs of lineage in
   * {@code knowledge/assets.yaml} and a {@code sha256} check's relative {@code path} (the demo's
   * registry answers with such paths). {@code REBOUND_ARTIFACT_BASE_DIR}, else the working
   * directory; a demo started in this process sets it to its {@code REBOUND_DEMO_DIR}, where it
   * writes the files those paths name.
   */
  public Path artifactBase() {
    return artifactBaseDir.orElse(Path.of("")).toAbsolutePath().normalize();
  }

  private static DrillSettings drillOverrides(DrillSettings fromFile, EnvReader vars, List<String> problems) {
    DrillSettings d = fromFile;
    Optional<String> url = vars.text("REBOUND_DEMO_URL");
    if (url.isPresent()) {
      Optional<java.net.URI> parsed = DrillSettings.parseUrl(url.get());
      if (parsed.isEmpty()) {
        problems.add("REBOUND_DEMO_URL: not an http(s) URL: \"" + url.get() + "\"");
      }
      d = d.withDemoUrl(parsed.orElse(d.demoUrl()));
    }
    Optional<String> scale = vars.text("REBOUND_DRILL_WAIT_SCALE");
    if (scale.isPresent()) {
      Optional<Double> parsed = DrillSettings.parseScale(scale.get());
      if (parsed.isEmpty()) {
        problems.add("REBOUND_DRILL_WAIT_SCALE: a number above 0 and at most 1, got \"" + scale.get() + "\"");
      }
      d = d.withWaitScale(parsed.orElse(d.waitScale()));
    }
    return d;
  }

  /**
   * One warning per id in {@code REBOUND_ACTIVE_RUNBOOKS} / {@code REBOUND_INACTIVE_RUNBOOKS}
   * that names no runbook in {@code known}: a misspelt id forces nothing, so the runbook meant
   * stays as its file says (still startable, when it was to be switched off).
   */
  public List<String> unknownForcedRunbooks(Set<String> known) {
    List<String> warnings = new ArrayList<>();
    String knownText = known.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(known));
    for (var list : List.of(Map.entry("REBOUND_INACTIVE_RUNBOOKS", inactiveRunbooks),
        Map.entry("REBOUND_ACTIVE_RUNBOOKS", activeRunbooks))) {
      list.getValue().stream().filter(id -> !known.contains(id)).sorted().forEach(id -> warnings.add(list.getKey()
          + " names '" + id + "', which is no runbook here, so it forces nothing (runbooks: " + knownText + ")"));
    }
    return warnings;
  }

  /**
   * Every secret value this configuration holds (tokens, keys, the database password, values of
   * template variables marked secret), for maskers that scrub output before it is shown or
   * stored. Empty strings are left out: masking "" would mangle everything.
   */
  public Set<String> secretValues() {
    Set<String> values = new LinkedHashSet<>();
    adminToken.ifPresent(s -> values.add(s.reveal()));
    model.apiKey().ifPresent(s -> values.add(s.reveal()));
    slack.signingSecret().ifPresent(s -> values.add(s.reveal()));
    slack.botToken().ifPresent(s -> values.add(s.reveal()));
    database.password().ifPresent(s -> values.add(s.reveal()));
    datasources.values().forEach(d -> d.url().flatMap(DatabaseUrl::password).ifPresent(s -> values.add(s.reveal())));
    templateEnv.secretNames().forEach(name -> templateEnv.value(name).ifPresent(values::add));
    values.remove("");
    return Collections.unmodifiableSet(values);
  }

  private static Map<String, Datasource> resolveDatasources(
      ConfigFile.Settings fromFile, Map<String, String> env, List<String> problems) {
    Map<String, Datasource> datasources = new LinkedHashMap<>();
    for (ConfigFile.DatasourceSpec spec : fromFile.datasources().values()) {
      Optional<DatabaseUrl> url = Optional.empty();
      if (spec.urlEnv().isPresent()) {
        String value = env.get(spec.urlEnv().get());
        if (value != null && !value.isBlank()) {
          String label = spec.urlEnv().get() + " (datasource " + spec.name() + ")";
          url = DatabaseUrl.parse(label, value.trim(), problems);
        }
      }
      datasources.put(spec.name(), new Datasource(spec.name(), spec.searchPath(), spec.urlEnv(), url));
    }
    return Collections.unmodifiableMap(datasources);
  }
}
