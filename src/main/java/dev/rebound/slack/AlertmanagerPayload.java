package dev.rebound.slack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.error.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alertmanager's webhook body (version 4): {@code receiver}, {@code status}, {@code alerts[]}
 * (status, labels, annotations, startsAt, fingerprint), {@code groupKey}, {@code commonLabels},
 * {@code commonAnnotations}, {@code externalURL}. Validated with one problem per bad field; label
 * and annotation values are kept as strings (they are data, never instructions).
 */
record AlertmanagerPayload(String groupKey, String status, String receiver, Map<String, String> commonLabels,
    Map<String, String> commonAnnotations, Optional<String> externalUrl, List<Alert> alerts) {

  record Alert(String fingerprint, String status, Map<String, String> labels, Map<String, String> annotations,
      Optional<String> startsAt, Optional<String> generatorUrl) {
    boolean firing() {
      return "firing".equals(status);
    }

    String name() {
      return labels.getOrDefault("alertname", "alert " + fingerprint);
    }
  }

  static AlertmanagerPayload parse(JsonNode body) {
    List<String> problems = new ArrayList<>();
    if (body == null || !body.isObject()) {
      throw new ValidationException("expected Alertmanager's webhook JSON object (version 4)");
    }
    if (body.has("version") && !"4".equals(body.path("version").asText())) {
      problems.add("version: only Alertmanager webhook version 4 is understood; got '" + body.path("version").asText()
          + "'");
    }
    String groupKey = required(body, "groupKey", problems);
    String status = status(body.path("status"), "status", problems);
    Map<String, String> labels = strings(body.path("commonLabels"), "commonLabels", problems);
    Map<String, String> annotations = strings(body.path("commonAnnotations"), "commonAnnotations", problems);
    List<Alert> alerts = new ArrayList<>();
    JsonNode list = body.path("alerts");
    if (!list.isArray() || list.isEmpty()) {
      problems.add("alerts: expected a non-empty array of alerts");
    } else {
      for (int i = 0; i < list.size(); i++) {
        JsonNode a = list.get(i);
        String at = "alerts[" + i + "]";
        if (!a.isObject()) {
          problems.add(at + ": expected an object");
          continue;
        }
        Map<String, String> alertLabels = strings(a.path("labels"), at + ".labels", problems);
        String fingerprint = a.path("fingerprint").asText("");
        if (fingerprint.isBlank()) {
          // Alertmanager always sends one; other senders may not: the sorted labels identify the alert.
          fingerprint = new java.util.TreeMap<>(alertLabels).toString();
        }
        alerts.add(new Alert(fingerprint, status(a.path("status"), at + ".status", problems), alertLabels,
            strings(a.path("annotations"), at + ".annotations", problems), text(a, "startsAt"),
            text(a, "generatorURL")));
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    return new AlertmanagerPayload(groupKey, status, body.path("receiver").asText(""), labels, annotations,
        text(body, "externalURL"), alerts);
  }

  private static String required(JsonNode body, String field, List<String> problems) {
    JsonNode value = body.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      problems.add(field + ": required, a non-empty string");
      return "";
    }
    return value.asText();
  }

  private static String status(JsonNode value, String field, List<String> problems) {
    String text = value.asText("");
    if (!text.equals("firing") && !text.equals("resolved")) {
      problems.add(field + ": must be firing or resolved; got '" + text + "'");
    }
    return text;
  }

  private static Map<String, String> strings(JsonNode node, String field, List<String> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      problems.add(field + ": expected an object of name to string");
      return out;
    }
    node.fields().forEachRemaining(e -> {
      if (e.getValue().isValueNode() && !e.getValue().isNull()) {
        out.put(e.getKey(), e.getValue().asText());
      } else {
        // asText() of an object is "": an alertname like that became an incident without a title.
        problems.add(field + "." + e.getKey() + ": expected a string; got " + (e.getValue().isNull() ? "null"
            : e.getValue().isArray() ? "an array" : "an object"));
      }
    });
    return out;
  }

  private static Optional<String> text(JsonNode node, String field) {
    return node.path(field).isTextual() && !node.path(field).asText().isBlank()
        ? Optional.of(node.path(field).asText()) : Optional.empty();
  }
}
