package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.yaml.PositionedYaml;
import dev.rebound.yaml.YamlProblem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a schema-valid tree to the model. The schema has already checked shapes, so what can
 * still fail here is only what a schema cannot express (a duration that overflows, a version
 * beyond int); those become positioned problems like any other.
 */
final class RunbookMapper {
  private final PositionedYaml yaml;
  private final List<YamlProblem> problems = new ArrayList<>();

  private RunbookMapper(PositionedYaml yaml) {
    this.yaml = yaml;
  }

  static LoadResult map(PositionedYaml yaml, String contentHash, Optional<Path> path) {
    RunbookMapper mapper = new RunbookMapper(yaml);
    Runbook runbook = mapper.runbook(contentHash, path);
    return mapper.problems.isEmpty() ? LoadResult.loaded(runbook) : LoadResult.failed(mapper.problems);
  }

  private Runbook runbook(String contentHash, Optional<Path> path) {
    JsonNode root = yaml.root();
    List<String> assets = Json.strings(root.get("assets"));
    List<Step> steps = new ArrayList<>();
    JsonNode stepNodes = root.path("steps");
    for (int i = 0; i < stepNodes.size(); i++) {
      steps.add(step(stepNodes.get(i), i, assets));
    }
    JsonNode version = root.path("version");
    if (!version.canConvertToInt()) {
      problems.add(yaml.problemAt("/version", "version: must be at most " + Integer.MAX_VALUE));
    }
    return new Runbook(
        root.path("id").asText(),
        version.asInt(),
        root.path("title").asText(),
        root.path("summary").asText(),
        root.path("author").asText(),
        Json.strings(root.get("symptoms")),
        assets,
        Json.strings(root.get("related_runbooks")),
        activation(root.get("active")),
        params(root.get("params")),
        checks(root.get("preconditions"), "/preconditions"),
        steps,
        checks(root.get("invariants"), "/invariants"),
        checks(root.get("validation"), "/validation"),
        contentHash,
        yaml,
        path);
  }

  private Step step(JsonNode node, int index, List<String> runbookAssets) {
    String pointer = "/steps/" + index;
    JsonNode reversible = node.get("reversible");
    JsonNode targets = node.get("targets");
    return new Step(
        index,
        node.path("id").asText(),
        node.path("title").asText(),
        Json.text(node, "description"),
        Risk.of(node.path("risk").asText()),
        action(node.get("action"), pointer + "/action"),
        checks(node.get("verify"), pointer + "/verify"),
        node.has("rollback") ? Optional.ofNullable(action(node.get("rollback"), pointer + "/rollback")) : Optional.empty(),
        reversible == null ? Optional.empty() : Optional.of(reversible.asBoolean()),
        Json.bool(node, "idempotent", false),
        duration(node.get("timeout"), pointer + "/timeout", Step.DEFAULT_TIMEOUT),
        retries(node.get("retries"), pointer + "/retries"),
        targets == null ? runbookAssets : Json.strings(targets));
  }

  private Retries retries(JsonNode node, String pointer) {
    if (node == null) {
      return Retries.NONE;
    }
    Duration backoff = duration(node.get("backoff"), pointer + "/backoff", Retries.DEFAULT_BACKOFF);
    return new Retries(node.path("max").asInt(), backoff);
  }

  private Duration duration(JsonNode node, String pointer, Duration fallback) {
    if (node == null) {
      return fallback;
    }
    try {
      return Durations.parse(node.asText());
    } catch (InvalidDurationException e) {
      problems.add(yaml.problemAt(pointer, Json.displayPath(pointer) + ": " + e.getMessage()));
      return fallback;
    }
  }

  private Action action(JsonNode node, String pointer) {
    try {
      return Action.of(node);
    } catch (InvalidDurationException e) {
      problems.add(yaml.problemAt(pointer + "/duration", Json.displayPath(pointer + "/duration") + ": " + e.getMessage()));
      return null;
    }
  }

  private List<Check> checks(JsonNode array, String pointer) {
    List<Check> out = new ArrayList<>();
    if (array == null) {
      return out;
    }
    for (int i = 0; i < array.size(); i++) {
      try {
        out.add(Check.of(array.get(i)));
      } catch (InvalidDurationException e) {
        String at = Json.child(pointer, i);
        problems.add(yaml.problemAt(at, Json.displayPath(at) + ": " + e.getMessage()));
      }
    }
    return out;
  }

  private static Activation activation(JsonNode node) {
    if (node == null || node.isNull()) {
      return Activation.ALWAYS;
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? Activation.ALWAYS : Activation.NEVER;
    }
    Map<String, Boolean> byEnvironment = new LinkedHashMap<>();
    node.properties().forEach(e -> byEnvironment.put(e.getKey(), e.getValue().asBoolean()));
    return Activation.perEnvironment(byEnvironment);
  }

  private static List<ParamSpec> params(JsonNode node) {
    List<ParamSpec> out = new ArrayList<>();
    if (node != null) {
      node.properties().forEach(e -> out.add(ParamSpec.of(e.getKey(), e.getValue())));
    }
    return out;
  }
}
