package dev.rebound.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.yaml.PositionedYaml;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code engine:} block of {@code rebound.yaml}, one problem per bad value, with its position. */
final class EngineBlock {
  private static final Set<String> KEYS = Set.of("settle_window", "settle_interval");

  private EngineBlock() {}

  static SettleSettings read(PositionedYaml yaml, JsonNode node, List<String> problems) {
    SettleSettings d = SettleSettings.defaults();
    if (node.isMissingNode() || node.isNull()) {
      return d;
    }
    if (!node.isObject()) {
      problems.add(yaml.problemAt("/engine", "engine must be a mapping (settle_window, settle_interval)").toString());
      return d;
    }
    node.fieldNames().forEachRemaining(key -> {
      if (!KEYS.contains(key)) {
        problems.add(yaml.problemAtKey("/engine/" + PositionedYaml.escape(key), "unknown key '" + key
            + "' in engine (known: settle_interval, settle_window)").toString());
      }
    });
    Duration window = duration(yaml, node, "settle_window", false, problems).orElse(d.window());
    Duration interval = duration(yaml, node, "settle_interval", true, problems).orElse(d.interval());
    return new SettleSettings(window, interval);
  }

  private static Optional<Duration> duration(PositionedYaml yaml, JsonNode node, String key, boolean positive,
      List<String> problems) {
    if (!node.has(key)) {
      return Optional.empty();
    }
    JsonNode value = node.get(key);
    Optional<Duration> parsed = value.isValueNode() ? SettleSettings.parse(value.asText()) : Optional.empty();
    if (parsed.isEmpty() || (positive && parsed.get().isZero())) {
      problems.add(yaml.problemAt("/engine/" + key, "engine." + key + " must be a " + (positive ? "positive " : "")
          + "duration such as " + (positive ? "2s or 500ms" : "30s, 2m or 0s (no re-checks)") + "; got '"
          + value.asText() + "'").toString());
      return Optional.empty();
    }
    return parsed;
  }
}
