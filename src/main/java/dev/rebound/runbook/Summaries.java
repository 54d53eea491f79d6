package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One-line, human summaries of rendered actions and checks, e.g.
 * {@code POST http://features/admin/ingest/pause}. Display only: executors use the JSON.
 */
final class Summaries {
  private static final Pattern PLAIN_ARG = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private Summaries() {}

  static String of(Action action) {
    if (action instanceof Action.Http http) {
      StringBuilder out = new StringBuilder(http.method()).append(' ').append(http.url());
      headers(http.headers(), out);
      if (http.hasBody()) {
        out.append("  body: ").append(Json.compact(http.body()));
      }
      if (!http.expectStatus().isEmpty()) {
        out.append("  expect: ").append(statuses(http.expectStatus()));
      }
      return out.toString();
    }
    if (action instanceof Action.Sql sql) {
      return "SQL on " + sql.datasource() + ": " + oneLine(sql.sql()) + args(sql.args()) + (sql.readOnly() ? "  (read-only)" : "");
    }
    if (action instanceof Action.Command command) {
      StringBuilder out = new StringBuilder("RUN ").append(quote(command.command()));
      command.args().forEach(a -> out.append(' ').append(quote(a)));
      if (!command.env().isEmpty()) {
        out.append("  env: ").append(String.join(", ", command.env()));
      }
      return out.toString();
    }
    if (action instanceof Action.Manual manual) {
      return "MANUAL: " + oneLine(manual.instructions());
    }
    return "WAIT " + Durations.format(((Action.Wait) action).duration());
  }

  static String of(Check check) {
    String text = body(check);
    return check.name().map(n -> n + ": " + text).orElse(text);
  }

  private static String body(Check check) {
    if (check instanceof Check.Http http) {
      StringBuilder out = new StringBuilder(http.method()).append(' ').append(http.url());
      headers(http.headers(), out);
      out.append("  expect: ").append(statuses(http.expectStatus()));
      http.expectBodyContains().ifPresent(s -> out.append(", body contains ").append(Json.compact(Json.NODES.textNode(s))));
      http.expectJson().forEach((pointer, value) -> out.append(", ").append(pointer).append(" = ").append(Json.compact(value)));
      return out.toString();
    }
    if (check instanceof Check.Sql sql) {
      return "SQL on " + sql.datasource() + ": " + oneLine(sql.sql()) + args(sql.args())
          + "  expect: " + sql.expect().operator().replace('_', ' ') + " " + Json.compact(sql.expect().value());
    }
    if (check instanceof Check.Sha256 sha) {
      if (sha.asset().isPresent()) {
        return "sha256 of asset " + sha.asset().get() + " matches its lineage";
      }
      return "sha256 of " + sha.path().or(sha::url).orElse("?") + " = " + sha.expected().orElse("?");
    }
    if (check instanceof Check.Freshness fresh) {
      return "freshness on " + fresh.datasource() + ": " + oneLine(fresh.sql()) + args(fresh.args())
          + "  max lag: " + Durations.format(fresh.maxLag());
    }
    if (check instanceof Check.Drift drift) {
      String method = drift.method().equals("psi") ? "psi, " + drift.bins() + " bins" : drift.method();
      return "drift (" + method + ") on " + drift.datasource() + " at most " + number(drift.threshold())
          + "  reference: " + oneLine(drift.referenceSql()) + "  current: " + oneLine(drift.currentSql());
    }
    Check.Latency latency = (Check.Latency) check;
    return "latency " + latency.method() + " " + latency.url() + ": p95 under " + Durations.format(latency.p95Max())
        + " over " + latency.probes() + " probes";
  }

  private static void headers(Map<String, String> headers, StringBuilder out) {
    if (!headers.isEmpty()) {
      out.append("  headers: ").append(headers.entrySet().stream()
          .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")));
    }
  }

  private static String statuses(List<Integer> codes) {
    return codes.isEmpty() ? "2xx" : codes.stream().map(String::valueOf).collect(Collectors.joining("|"));
  }

  private static String args(List<JsonNode> args) {
    if (args.isEmpty()) {
      return "";
    }
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      shown.add("$" + (i + 1) + "=" + Json.compact(args.get(i)));
    }
    return "  with " + String.join(", ", shown);
  }

  static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }

  /** Shell-like quoting, for reading only: commands never run through a shell. */
  private static String quote(String arg) {
    if (PLAIN_ARG.matcher(arg).matches()) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  private static String number(double d) {
    return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
