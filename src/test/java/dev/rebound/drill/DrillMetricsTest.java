package dev.rebound.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrillMetricsTest {
  @Test
  void outcomesAreCountedAndPassedRecoveriesTimed() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DrillMetrics metrics = new DrillMetrics(registry);
    Scenario s = new Scenario("kb-drift", "t", "kb-drift", Map.of(), "x", List.of("rag.index"), "rag-index-rebuild",
        Map.of(), Optional.empty(), Path.of("drills/kb-drift.yaml"));
    DrillReport passed = new DrillReport("d1", s, Instant.now(), 1);
    passed.status = DrillReport.Status.PASSED;
    passed.recoveryMs = 42_000L;
    DrillReport failed = new DrillReport("d2", s, Instant.now(), 1);
    failed.status = DrillReport.Status.FAILED;

    metrics.finished(passed);
    metrics.finished(failed);
    new DrillMetrics(null).finished(passed); // no registry: nothing, no error

    String scrape = registry.scrape();
    assertThat(scrape).contains("rebound_drills_total{scenario=\"kb-drift\",status=\"passed\"} 1.0")
        .contains("rebound_drills_total{scenario=\"kb-drift\",status=\"failed\"} 1.0")
        .contains("rebound_drill_recovery_seconds_count{scenario=\"kb-drift\"} 1")
        .contains("rebound_drill_recovery_seconds_sum{scenario=\"kb-drift\"} 42.0");
  }
}
