package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only check (precondition, verify, invariant or validation). As with {@link Action},
 * typed fields hold the text as written and {@link #raw()} the JSON tree, returned as a copy.
 */
public sealed interface Check
    permits Check.Http, Check.Sql, Check.Sha256, Check.Freshness, Check.Drift, Check.Latency {

  /** {@code http}, {@code sql}, {@code sha256}, {@code freshness}, {@code drift} or {@code latency}. */
  String kind();

  /** The optional display name from {@code name:}. */
  Optional<String> name();

  JsonNode raw();

  /**
   * Maps a check tree that passed the runbook schema (or was rendered from one that did).
   *
   * @throws InvalidDurationException if a duration overflows
   * @throws IllegalArgumentException if {@code check} is unknown
   */
  static Check of(JsonNode node) {
    Optional<String> name = Json.text(node, "name");
    String kind = node.path("check").asText();
    switch (kind) {
      case "http":
        List<Integer> status = Action.statuses(node.get("expect_status"));
        return new Http(
            name,
            Json.text(node, "method", "GET"),
            Json.text(node, "url", ""),
            Json.stringMap(node.get("headers")),
            status.isEmpty() ? List.of(200) : status,
            Json.text(node, "expect_body_contains"),
            nodeMap(node.get("expect_json")),
            node);
      case "sql":
        Map.Entry<String, JsonNode> expect = node.path("expect").properties().iterator().next();
        return new Sql(
            name,
            Json.text(node, "datasource", ""),
            Json.text(node, "sql", ""),
            Json.nodes(node.get("args")),
            new Expectation(expect.getKey(), expect.getValue().deepCopy()),
            node);
      case "sha256":
        return new Sha256(
            name, Json.text(node, "asset"), Json.text(node, "path"), Json.text(node, "url"), Json.text(node, "expected"), node);
      case "freshness":
        return new Freshness(
            name,
            Json.text(node, "datasource", ""),
            Json.text(node, "sql", ""),
            Json.nodes(node.get("args")),
            Durations.parse(Json.text(node, "max_lag", "")),
            node);
      case "drift":
        return new Drift(
            name,
            Json.text(node, "datasource", ""),
            Json.text(node, "reference_sql", ""),
            Json.text(node, "current_sql", ""),
            Json.text(node, "method", "psi"),
            node.path("threshold").asDouble(),
            node.path("bins").asInt(10),
            node);
      case "latency":
        return new Latency(
            name,
            Json.text(node, "method", "GET"),
            Json.text(node, "url", ""),
            Json.stringMap(node.get("headers")),
            node.path("probes").asInt(20),
            Durations.parse(Json.text(node, "p95_max", "")),
            node);
      default:
        throw new IllegalArgumentException("unknown check '" + kind + "'");
    }
  }

  private static Map<String, JsonNode> nodeMap(JsonNode object) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (object != null && object.isObject()) {
      object.properties().forEach(e -> out.put(e.getKey(), e.getValue().deepCopy()));
    }
    return Collections.unmodifiableMap(out);
  }

  /** One comparison applied to the first column of the first row: {@code at_least: 1}. */
  record Expectation(String operator, JsonNode value) {}

  record Http(
      Optional<String> name,
      String method,
      String url,
      Map<String, String> headers,
      List<Integer> expectStatus,
      Optional<String> expectBodyContains,
      Map<String, JsonNode> expectJson,
      JsonNode raw)
      implements Check {
    public Http {
      raw = raw.deepCopy();
    }

    @Override
    public String kind() {
      return "http";
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }
  }

  record Sql(
      Optional<String> name, String datasource, String sql, List<JsonNode> args, Expectation expect, JsonNode raw)
      implements Check {
    public Sql {
      raw = raw.deepCopy();
    }

    @Override
    public String kind() {
      return "sql";
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }
  }

  /** Either {@code asset} (hash from lineage) or {@code path}/{@code url} with {@code expected}. */
  record Sha256(
      Optional<String> name,
      Optional<String> asset,
      Optional<String> path,
      Optional<String> url,
      Optional<String> expected,
      JsonNode raw)
      implements Check {
    public Sha256 {
      raw = raw.deepCopy();
    }

    @Override
    public String kind() {
      return "sha256";
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }
  }

  record Freshness(
      Optional<String> name, String datasource, String sql, List<JsonNode> args, Duration maxLag, JsonNode raw)
      implements Check {
    public Freshness {
      raw = raw.deepCopy();
    }

    @Override
    public String kind() {
      return "freshness";
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }
  }

  /** {@code method} is {@code psi} or {@code ks}; drift above {@code threshold} fails. */
  record Drift(
      Optional<String> name,
      String datasource,
      String referenceSql,
      String currentSql,
      String method,
      double threshold,
      int bins,
      JsonNode raw)
      implements Check {
    public Drift {
      raw = raw.deepCopy();
    }

    @Override
    public String kind() {
      return "drift";
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }
  }

  record Latency(
      Optional<String> name,
      String method,
      String url,
      Map<String, String> headers,
      int probes,
      Duration p95Max,
      JsonNode raw)
      implements Check {
    public Latency {
      raw = raw.deepCopy();
    }

    @Override
    public String kind() {
      return "latency";
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }
  }
}
