package dev.rebound.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.error.ValidationException;
import org.junit.jupiter.api.Test;

class AlertmanagerPayloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void reads_alertmanagers_version_4_webhook() throws Exception {
    AlertmanagerPayload p = AlertmanagerPayload.parse(JSON.readTree("""
        {"version": "4", "groupKey": "{}:{alertname=\\"PriceCacheStale\\"}", "truncatedAlerts": 0,
         "status": "firing", "receiver": "rebound", "groupLabels": {"alertname": "PriceCacheStale"},
         "commonLabels": {"alertname": "PriceCacheStale", "severity": "critical"},
         "commonAnnotations": {"summary": "stale"}, "externalURL": "http://am:9093",
         "alerts": [{"status": "firing", "labels": {"alertname": "PriceCacheStale", "instance": "a"},
                     "annotations": {}, "startsAt": "2026-01-05T10:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                     "generatorURL": "http://prom/graph", "fingerprint": "c0ffee"},
                    {"status": "resolved", "labels": {"alertname": "PriceCacheStale", "instance": "b"}}]}
        """));
    assertThat(p.groupKey()).isEqualTo("{}:{alertname=\"PriceCacheStale\"}");
    assertThat(p.alerts()).hasSize(2);
    assertThat(p.alerts().get(0).fingerprint()).isEqualTo("c0ffee");
    assertThat(p.alerts().get(0).firing()).isTrue();
    // Without a fingerprint the sorted labels stand for it, so the alert is still told apart.
    assertThat(p.alerts().get(1).fingerprint()).isEqualTo("{alertname=PriceCacheStale, instance=b}");
    assertThat(p.externalUrl()).contains("http://am:9093");
    assertThat(AlertIntake.severity(p.commonLabels().get("severity"))).isEqualTo("sev1");
  }

  @Test
  void names_every_bad_field() {
    assertThatThrownBy(() -> AlertmanagerPayload.parse(JSON.readTree("""
        {"version": "3", "status": "burning", "commonLabels": [],
         "alerts": [{"status": "firing", "labels": "x"}, 7]}
        """)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "version: only Alertmanager webhook version 4 is understood; got '3'",
            "groupKey: required, a non-empty string",
            "status: must be firing or resolved; got 'burning'",
            "commonLabels: expected an object of name to string",
            "alerts[0].labels: expected an object of name to string",
            "alerts[1]: expected an object"));
  }

  @Test
  void a_label_or_annotation_that_is_not_a_string_is_named_with_its_path() {
    assertThatThrownBy(() -> AlertmanagerPayload.parse(JSON.readTree("""
        {"groupKey": "g", "status": "firing", "commonAnnotations": {"summary": null},
         "alerts": [{"status": "firing", "labels": {"alertname": {"x": 1}, "replica": 2},
                     "annotations": {"runbook": ["a"]}}]}
        """)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "commonAnnotations.summary: expected a string; got null",
            "alerts[0].labels.alertname: expected a string; got an object",
            "alerts[0].annotations.runbook: expected a string; got an array"));
  }
}
