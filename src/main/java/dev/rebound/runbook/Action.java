package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a step does. Typed fields hold the text as written, templates included; {@link #raw()}
 * is the action's JSON as written, which rendering and approval hashing work on. After
 * rendering, {@link #of(JsonNode)} maps the rendered tree back to a typed action for the
 * executors. {@code raw()} returns a copy: the records stay immutable.
 */
public sealed interface Action permits Action.Http, Action.Sql, Action.Command, Action.Manual, Action.Wait {

  /** {@code http}, {@code sql}, {@code command}, {@code manual} or {@code wait}. */
  String type();

  /** Whether running it may change a system (the format doc's "mutating?" column). */
  boolean isMutating();

  JsonNode raw();

  /** One line for people, e.g. {@code POST http://features/admin/ingest/resume}; display only. */
  default String summary() {
    return Summaries.of(this);
  }

  /**
   * Maps an action tree that passed the runbook schema (or was rendered from one that did).
   *
   * @throws InvalidDurationException if a wait duration overflows
   * @throws IllegalArgumentException if {@code type} is unknown
   */
  static Action of(JsonNode node) {
    String type = node.path("type").asText();
    switch (type) {
      case "http":
        return new Http(
            Json.text(node, "method", "GET"),
            Json.text(node, "url", ""),
            Json.stringMap(node.get("headers")),
            node.path("body").deepCopy(),
            statuses(node.get("expect_status")),
            node);
      case "sql":
        return new Sql(
            Json.text(node, "datasource", ""),
            Json.text(node, "sql", ""),
            Json.nodes(node.get("args")),
            Json.bool(node, "read_only", false),
            node);
      case "command":
        return new Command(
            Json.text(node, "command", ""), Json.strings(node.get("args")), Json.strings(node.get("env")), node);
      case "manual":
        return new Manual(Json.text(node, "instructions", ""), node);
      case "wait":
        return new Wait(Durations.parse(Json.text(node, "duration", "")), node);
      default:
        throw new IllegalArgumentException("unknown action type '" + type + "'");
    }
  }

  /** An int or a list of ints; empty when absent. */
  static List<Integer> statuses(JsonNode node) {
    List<Integer> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> out.add(n.asInt()));
    } else if (node != null && node.isNumber()) {
      out.add(node.asInt());
    }
    return List.copyOf(out);
  }

  /**
   * An HTTP request. {@code body} is a {@code MissingNode} when absent (JSON {@code null} is a
   * valid body); {@code expectStatus} is empty for "any 2xx".
   */
  record Http(
      String method, String url, Map<String, String> headers, JsonNode body, List<Integer> expectStatus, JsonNode raw)
      implements Action {
    public Http {
      body = body.deepCopy();
      raw = raw.deepCopy();
    }

    @Override
    public String type() {
      return "http";
    }

    @Override
    public boolean isMutating() {
      return !(method.equals("GET") || method.equals("HEAD"));
    }

    public boolean hasBody() {
      return !body.isMissingNode();
    }

    @Override
    public JsonNode body() {
      return body.deepCopy();
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }
  }

  /** Fixed SQL text; values only as bind parameters ({@code $1}…) from {@code args}. */
  record Sql(String datasource, String sql, List<JsonNode> args, boolean readOnly, JsonNode raw) implements Action {
    public Sql {
      raw = raw.deepCopy();
    }

    @Override
    public String type() {
      return "sql";
    }

    @Override
    public boolean isMutating() {
      return !readOnly;
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }
  }

  /** An executable under {@code runbooks/scripts/}, run with an argv array, never a shell. */
  record Command(String command, List<String> args, List<String> env, JsonNode raw) implements Action {
    public Command {
      raw = raw.deepCopy();
    }

    @Override
    public String type() {
      return "command";
    }

    @Override
    public boolean isMutating() {
      return true;
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }
  }

  /** A person does it and confirms; counted as mutating because nobody can tell what they did. */
  record Manual(String instructions, JsonNode raw) implements Action {
    public Manual {
      raw = raw.deepCopy();
    }

    @Override
    public String type() {
      return "manual";
    }

    @Override
    public boolean isMutating() {
      return true;
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }
  }

  /** Waits; changes nothing and has no output. */
  record Wait(Duration duration, JsonNode raw) implements Action {
    public Wait {
      raw = raw.deepCopy();
    }

    @Override
    public String type() {
      return "wait";
    }

    @Override
    public boolean isMutating() {
      return false;
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }
  }
}
