package dev.rebound.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.rebound.yaml.PositionedYaml;
import dev.rebound.yaml.YamlSyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the non-secret file {@code rebound.yaml}. Strict: unknown keys are problems (a typo in
 * {@code approval_policy} must not silently mean "no policy"), and keys that look like secrets
 * are refused with a pointer to the environment variable to use instead.
 */
final class ConfigFile {
  static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern SEARCH_PATH =
      Pattern.compile("[a-z_][a-z0-9_]*(\\s*,\\s*[a-z_][a-z0-9_]*)*");
  private static final Set<String> TOP_LEVEL =
      Set.of("environment", "environments", "template_env", "datasources", "approval_policy", "slack", "drills",
          "engine");
  private static final Pattern SECRET_LIKE =
      Pattern.compile("(?i).*(password|secret|token|api_?key|database_url|credential).*");
  private static final Map<String, String> SECRET_VARIABLES = Map.of(
      "database_url", "DATABASE_URL",
      "admin_token", "REBOUND_ADMIN_TOKEN",
      "openai_api_key", "REBOUND_OPENAI_API_KEY",
      "slack_signing_secret", "SLACK_SIGNING_SECRET",
      "slack_bot_token", "SLACK_BOT_TOKEN");

  /** What the file contributes; every field empty when there is no file. */
  record Settings(
      Optional<String> environment,
      List<String> environments,
      Map<String, TemplateVariable> templateEnv,
      Map<String, DatasourceSpec> datasources,
      JsonNode approvalPolicy,
      SlackPolicy slack,
      DrillSettings drills,
      SettleSettings settle) {
    static Settings none() {
      return new Settings(Optional.empty(), List.of(), Map.of(), Map.of(), MissingNode.getInstance(), SlackPolicy.none(),
          DrillSettings.defaults(), SettleSettings.defaults());
    }
  }

  /** A datasource as written: exactly one of the two is present. */
  record DatasourceSpec(String name, Optional<String> searchPath, Optional<String> urlEnv) {}

  private final PositionedYaml yaml;
  private final List<String> problems;

  private ConfigFile(PositionedYaml yaml, List<String> problems) {
    this.yaml = yaml;
    this.problems = problems;
  }

  /** @param consoleUrlFromEnv the console's address is set by {@code REBOUND_CONSOLE_URL} (the file need not name it) */
  static Settings read(Path path, boolean consoleUrlFromEnv, List<String> problems) {
    PositionedYaml yaml;
    try {
      yaml = PositionedYaml.read(path, path.toString());
    } catch (YamlSyntaxException e) {
      problems.add(e.problem().toString());
      return Settings.none();
    }
    if (!yaml.root().isObject()) {
      problems.add(yaml.problemAt("", "expected a mapping at the top level").toString());
      return Settings.none();
    }
    return new ConfigFile(yaml, problems).settings(consoleUrlFromEnv);
  }

  private Settings settings(boolean consoleUrlFromEnv) {
    JsonNode root = yaml.root();
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (SECRET_LIKE.matcher(key).matches()) {
        String variable = SECRET_VARIABLES.getOrDefault(key.toLowerCase(), "an environment variable");
        problemAtKey("/" + PositionedYaml.escape(key),
            "'" + key + "' looks like a secret: set " + variable + " in the environment, never in this file");
      } else if (!TOP_LEVEL.contains(key)) {
        problemAtKey("/" + PositionedYaml.escape(key),
            "unknown key '" + key + "' (known: approval_policy, datasources, drills, engine, environment,"
                + " environments, slack, template_env)");
      }
    }
    Optional<String> environment = Optional.empty();
    if (root.has("environment")) {
      environment = text("/environment", root.get("environment"));
    }
    JsonNode policy = root.path("approval_policy");
    if (!policy.isMissingNode() && !policy.isObject()) {
      problem("/approval_policy", "approval_policy must be a mapping");
    }
    return new Settings(environment, environments(root.path("environments")), templateEnv(root.path("template_env")),
        datasources(root.path("datasources")), policy.deepCopy(),
        SlackBlock.read(yaml, root.path("slack"), consoleUrlFromEnv, problems),
        drills(root.path("drills")), EngineBlock.read(yaml, root.path("engine"), problems));
  }

  /** The {@code environments} list as written; empty when absent (or not a list of names). */
  private List<String> environments(JsonNode node) {
    if (node.isMissingNode()) {
      return List.of();
    }
    if (!node.isArray() || node.isEmpty()) {
      problem("/environments", "environments must be a non-empty list of names, e.g. [staging, production]");
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      text("/environments/" + i, node.get(i)).ifPresent(names::add);
    }
    return names;
  }

  private DrillSettings drills(JsonNode node) {
    DrillSettings d = DrillSettings.defaults();
    if (!isMapping("/drills", node)) {
      return d;
    }
    unknownKeys("/drills", node, Set.of("demo_url", "max_age", "wait_scale"));
    if (node.has("demo_url")) {
      Optional<java.net.URI> url = text("/drills/demo_url", node.get("demo_url")).flatMap(DrillSettings::parseUrl);
      if (url.isEmpty()) {
        problem("/drills/demo_url", "drills.demo_url must be an http(s) URL such as http://localhost:8090");
      }
      d = d.withDemoUrl(url.orElse(d.demoUrl()));
    }
    java.time.Duration maxAge = d.maxAge();
    if (node.has("max_age")) {
      Optional<java.time.Duration> age = text("/drills/max_age", node.get("max_age")).flatMap(DrillSettings::parseAge);
      if (age.isEmpty()) {
        problem("/drills/max_age", "drills.max_age must be a positive number of minutes, hours or days: 90m, 12h, 30d");
      }
      maxAge = age.orElse(maxAge);
    }
    double scale = d.waitScale();
    if (node.has("wait_scale")) {
      Optional<Double> s = DrillSettings.parseScale(node.get("wait_scale").asText());
      if (s.isEmpty()) {
        problem("/drills/wait_scale", "drills.wait_scale must be a number above 0 and at most 1 (1 = real time)");
      }
      scale = s.orElse(scale);
    }
    return new DrillSettings(d.demoUrl(), maxAge, scale);
  }

  private Map<String, TemplateVariable> templateEnv(JsonNode node) {
    Map<String, TemplateVariable> variables = new LinkedHashMap<>();
    if (!isMapping("/template_env", node)) {
      return variables;
    }
    node.fields().forEachRemaining(entry -> {
      String name = entry.getKey();
      String pointer = "/template_env/" + PositionedYaml.escape(name);
      if (!VARIABLE_NAME.matcher(name).matches()) {
        problemAtKey(pointer, "template_env: '" + name + "' is not a variable name (letters, digits, _)");
        return;
      }
      if (ReservedVariables.isReserved(name)) {
        problemAtKey(pointer, "template_env: '" + name
            + "' is one of Rebound's own settings and must not be exposed to runbooks");
        return;
      }
      JsonNode spec = entry.getValue();
      if (spec.isNull()) {
        variables.put(name, new TemplateVariable(name, Optional.empty(), false));
        return;
      }
      if (!isMapping(pointer, spec)) {
        return;
      }
      unknownKeys(pointer, spec, Set.of("default", "secret"));
      Optional<String> defaultValue =
          spec.has("default") ? text(pointer + "/default", spec.get("default")) : Optional.empty();
      boolean secret = false;
      if (spec.has("secret")) {
        if (spec.get("secret").isBoolean()) {
          secret = spec.get("secret").booleanValue();
        } else {
          problem(pointer + "/secret", "template_env." + name + ".secret must be true or false");
        }
      }
      variables.put(name, new TemplateVariable(name, defaultValue, secret));
    });
    return variables;
  }

  private Map<String, DatasourceSpec> datasources(JsonNode node) {
    Map<String, DatasourceSpec> specs = new LinkedHashMap<>();
    if (!isMapping("/datasources", node)) {
      return specs;
    }
    node.fields().forEachRemaining(entry -> {
      String name = entry.getKey();
      String pointer = "/datasources/" + PositionedYaml.escape(name);
      JsonNode spec = entry.getValue();
      if (!isMapping(pointer, spec)) {
        return;
      }
      unknownKeys(pointer, spec, Set.of("search_path", "url_env"));
      Optional<String> searchPath =
          spec.has("search_path") ? text(pointer + "/search_path", spec.get("search_path")) : Optional.empty();
      Optional<String> urlEnv =
          spec.has("url_env") ? text(pointer + "/url_env", spec.get("url_env")) : Optional.empty();
      if (searchPath.isPresent() == urlEnv.isPresent()) {
        problem(pointer, "datasource '" + name + "' needs exactly one of search_path or url_env");
        return;
      }
      if (searchPath.isPresent() && !SEARCH_PATH.matcher(searchPath.get()).matches()) {
        problem(pointer + "/search_path", "datasource '" + name + "': search_path \"" + searchPath.get()
            + "\" must be lower-case schema names separated by commas");
        return;
      }
      if (urlEnv.isPresent() && !VARIABLE_NAME.matcher(urlEnv.get()).matches()) {
        problem(pointer + "/url_env", "datasource '" + name + "': url_env \"" + urlEnv.get()
            + "\" is not a variable name (letters, digits, _)");
        return;
      }
      if (urlEnv.isPresent() && ReservedVariables.isReserved(urlEnv.get())) {
        problem(pointer + "/url_env", "datasource '" + name + "': url_env must not be one of Rebound's own "
            + "settings (" + urlEnv.get() + ")");
        return;
      }
      specs.put(name, new DatasourceSpec(name, searchPath, urlEnv));
    });
    return specs;
  }

  private Optional<String> text(String pointer, JsonNode node) {
    if (node.isValueNode() && !node.isNull() && !node.asText().isBlank()) {
      return Optional.of(node.asText());
    }
    problem(pointer, pointer.substring(1).replace('/', '.') + " must be a non-empty scalar");
    return Optional.empty();
  }

  private boolean isMapping(String pointer, JsonNode node) {
    if (node.isMissingNode()) {
      return false;
    }
    if (!node.isObject()) {
      problem(pointer, pointer.substring(1).replace('/', '.') + " must be a mapping");
      return false;
    }
    return true;
  }

  private void unknownKeys(String pointer, JsonNode node, Set<String> known) {
    node.fieldNames().forEachRemaining(key -> {
      if (!known.contains(key)) {
        problemAtKey(pointer + "/" + PositionedYaml.escape(key), "unknown key '" + key + "' (known: "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    });
  }

  private void problem(String pointer, String message) {
    problems.add(yaml.problemAt(pointer, message).toString());
  }

  private void problemAtKey(String pointer, String message) {
    problems.add(yaml.problemAtKey(pointer, message).toString());
  }
}
