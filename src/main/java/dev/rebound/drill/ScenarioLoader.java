package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
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
    Set<String> declared = runbook == null ? null : refs.runbookParams().get(runbook);
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

  private static Map<String, JsonNode> params(Fields f, JsonNode node, Set<String> declared) {
    Map<String, JsonNode> params = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return params;
    }
    if (!node.isObject()) {
      f.at("/params", "params must be a mapping of the runbook's parameter names to values");
      return params;
    }
    node.fields().forEachRemaining(e -> {
      String pointer = "/params/" + PositionedYaml.escape(e.getKey());
      if (declared != null && !declared.contains(e.getKey())) {
        f.atKey(pointer, "the expected runbook has no parameter '" + e.getKey() + "' (it has: "
            + String.join(", ", new TreeSet<>(declared)) + ")");
      }
      ParamSource.problem(e.getValue()).ifPresent(message -> f.at(pointer, message));
      params.put(e.getKey(), e.getValue());
    });
    return params;
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
