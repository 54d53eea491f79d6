package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.runbook.BoundParams;
import dev.rebound.runbook.ParamBinder;
import dev.rebound.runbook.ParamSpec;
import dev.rebound.yaml.PositionedYaml;
import dev.rebound.yaml.YamlProblem;
import dev.rebound.yaml.YamlSyntaxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads {@code drills/*.yaml}. Strict like the runbook loader: unknown keys, missing fields, a
 * file name that is not the id, faults, runbooks, parameters and assets that do not exist are
 * problems reported as {@code file:line:col: message}; a file with problems yields no scenario.
 */
public final class ScenarioLoader {
  public static final String DIR = "drills";
  private static final Set<String> KEYS = Set.of("id", "title", "fault", "symptom", "assets", "expected_runbook",
      "params", "max_duration");
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})(s|m|h)");

  private final ScenarioRefs refs;

  public ScenarioLoader(ScenarioRefs refs) {
    this.refs = refs;
  }

  /** Every {@code *.yaml} of {@code dir}; none (and no problem) when the directory does not exist. */
  public ScenarioCatalog loadDir(Path dir) {
    if (!Files.isDirectory(dir)) {
      return new ScenarioCatalog(List.of(), List.of());
    }
    try (Stream<Path> files = Files.list(dir)) {
      return loadFiles(files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  public ScenarioCatalog loadFiles(List<Path> files) {
    List<Scenario> scenarios = new ArrayList<>();
    List<YamlProblem> problems = new ArrayList<>();
    for (Path file : files) {
      List<YamlProblem> mine = new ArrayList<>();
      Optional<Scenario> s = load(file, mine);
      problems.addAll(mine);
      if (mine.isEmpty()) {
        s.ifPresent(scenarios::add);
      }
    }
    return new ScenarioCatalog(scenarios, problems);
  }

  private Optional<Scenario> load(Path file, List<YamlProblem> problems) {
    PositionedYaml yaml;
    try {
      yaml = PositionedYaml.read(file, file.toString());
    } catch (YamlSyntaxException e) {
      problems.add(e.problem());
      return Optional.empty();
    }
    JsonNode root = yaml.root();
    if (!root.isObject()) {
      problems.add(yaml.problemAt("", "a drill scenario is a mapping (id, title, fault, symptom, assets,"
          + " expected_runbook, params, max_duration)"));
      return Optional.empty();
    }
    Fields f = new Fields(yaml, problems);
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!KEYS.contains(key)) {
        f.atKey("/" + PositionedYaml.escape(key), "unknown key '" + key + "' (known: " + String.join(", ",
            new TreeSet<>(KEYS)) + ")");
      }
    }
    String id = f.text("/id");
    if (id != null && !ID.matcher(id).matches()) {
      f.at("/id", "id must be lower-case letters, digits and dashes, got '" + id + "'");
    } else if (id != null && !file.getFileName().toString().equals(id + ".yaml")) {
      f.at("/id", "the file of scenario '" + id + "' must be named " + id + ".yaml");
    }
    String title = f.text("/title");
    String symptom = f.text("/symptom");
    String fault = null;
    Map<String, String> faultParams = new LinkedHashMap<>();
    JsonNode faultNode = root.path("fault");
    if (faultNode.isObject()) {
      fault = f.text("/fault/name");
      faultNode.fields().forEachRemaining(e -> {
        if (e.getKey().equals("name")) {
          return;
        }
        if (!e.getKey().equals("params") || !e.getValue().isObject()) {
          f.atKey("/fault/" + PositionedYaml.escape(e.getKey()), "fault takes name and params (a mapping)");
          return;
        }
        e.getValue().fields().forEachRemaining(p -> faultParams.put(p.getKey(), p.getValue().asText()));
      });
    } else {
      fault = f.text("/fault");
    }
    if (fault != null && !refs.faults().isEmpty() && !refs.faults().contains(fault)) {
      f.at(faultNode.isObject() ? "/fault/name" : "/fault", "unknown demo fault '" + fault + "' (known: "
          + String.join(", ", new TreeSet<>(refs.faults())) + ")");
    }
    List<String> assets = f.ids("/assets");
    for (int i = 0; i < assets.size(); i++) {
      if (!refs.assets().isEmpty() && !refs.assets().contains(assets.get(i))) {
        f.at("/assets/" + i, "unknown asset '" + assets.get(i) + "' (not in knowledge/assets.yaml)");
      }
    }
    String runbook = f.text("/expected_runbook");
    List<ParamSpec> declared = runbook == null ? null : refs.runbookParams().get(runbook);
    if (runbook != null && !refs.runbookParams().isEmpty() && declared == null) {
      f.at("/expected_runbook", "unknown runbook '" + runbook + "'");
    }
    Map<String, JsonNode> params = params(f, root.path("params"), declared);
    Optional<Duration> max = Optional.empty();
    if (root.has("max_duration")) {
      Matcher m = DURATION.matcher(root.get("max_duration").asText());
      if (m.matches() && Long.parseLong(m.group(1)) > 0) {
        long n = Long.parseLong(m.group(1));
        max = Optional.of(m.group(2).equals("s") ? Duration.ofSeconds(n)
            : m.group(2).equals("m") ? Duration.ofMinutes(n) : Duration.ofHours(n));
      } else {
        f.at("/max_duration", "max_duration must be a positive number of seconds, minutes or hours: 90s, 10m, 1h");
      }
    }
    if (!problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Scenario(id, title, fault, faultParams, symptom, assets, runbook, params, max, file));
  }

  private static Map<String, JsonNode> params(Fields f, JsonNode node, List<ParamSpec> declared) {
    Map<String, JsonNode> params = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      requireUngiven(f, "", params, declared);
      return params;
    }
    if (!node.isObject()) {
      f.at("/params", "params must be a mapping of the runbook's parameter names to values");
      return params;
    }
    node.fields().forEachRemaining(e -> {
      String pointer = "/params/" + PositionedYaml.escape(e.getKey());
      Optional<ParamSpec> spec = declared == null ? Optional.empty()
          : declared.stream().filter(s -> s.name().equals(e.getKey())).findFirst();
      if (declared != null && spec.isEmpty()) {
        f.atKey(pointer, "the expected runbook has no parameter '" + e.getKey() + "' (it has: "
            + String.join(", ", new TreeSet<>(declared.stream().map(ParamSpec::name).toList())) + ")");
      }
      Optional<String> problem = ParamSource.problem(e.getValue());
      problem.ifPresent(message -> f.at(pointer, message));
      if (problem.isEmpty() && spec.isPresent() && e.getValue().isValueNode()) {
        literalBreaksSchema(spec.get(), e.getValue()).ifPresent(message -> f.at(pointer, message));
      }
      params.put(e.getKey(), e.getValue());
    });
    requireUngiven(f, "/params", params, declared);
    return params;
  }

  /** A required parameter of the runbook the scenario does not give: the drill would fail binding it. */
  private static void requireUngiven(Fields f, String pointer, Map<String, JsonNode> given, List<ParamSpec> declared) {
    if (declared == null) {
      return;
    }
    for (ParamSpec spec : declared) {
      if (spec.required() && !given.containsKey(spec.name())) {
        f.at(pointer, "the expected runbook's parameter '" + spec.name() + "' has no default; give it under params");
      }
    }
  }

  /**
   * What the runbook's schema says against a literal value, bound as the drill binds it (as text,
   * like {@code --param}); values looked up at drill time are checked then.
   */
  private static Optional<String> literalBreaksSchema(ParamSpec spec, JsonNode value) {
    BoundParams bound = ParamBinder.bindStrings(List.of(spec), Map.of(spec.name(), value.asText()));
    return bound.isValid() ? Optional.empty() : Optional.of(String.join("; ", bound.errors()));
  }

  /** Reads fields and records positioned problems. */
  private record Fields(PositionedYaml yaml, List<YamlProblem> problems) {
    String text(String pointer) {
      JsonNode n = yaml.root().at(pointer);
      if (n.isMissingNode() || n.isNull()) {
        at(pointer.lastIndexOf('/') == 0 ? "" : pointer.substring(0, pointer.lastIndexOf('/')),
            pointer.substring(1).replace('/', '.') + " is required");
        return null;
      }
      if (!n.isValueNode() || n.asText().isBlank()) {
        at(pointer, pointer.substring(1).replace('/', '.') + " must be a non-empty text");
        return null;
      }
      return n.asText().trim();
    }

    List<String> ids(String pointer) {
      JsonNode n = yaml.root().at(pointer);
      List<String> out = new ArrayList<>();
      if (!n.isArray() || n.isEmpty()) {
        at(n.isMissingNode() ? "" : pointer, pointer.substring(1) + " must be a non-empty list of asset ids");
        return out;
      }
      for (JsonNode item : n) {
        out.add(item.asText());
      }
      return out;
    }

    void at(String pointer, String message) {
      problems.add(yaml.problemAt(pointer, message));
    }

    void atKey(String pointer, String message) {
      problems.add(yaml.problemAtKey(pointer, message));
    }
  }
}
