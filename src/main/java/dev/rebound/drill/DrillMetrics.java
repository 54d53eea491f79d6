package dev.rebound.drill;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * {@code rebound_drills_total{scenario,status}} and {@code rebound_drill_recovery_seconds{scenario}}
 * (a timer of passed drills' recovery times). No registry: nothing is recorded.
 */
public final class DrillMetrics {
  private final MeterRegistry registry;

  public DrillMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void finished(DrillReport report) {
    if (registry == null) {
      return;
    }
    Counter.builder("rebound.drills").description("Drills run, by scenario and outcome")
        .tag("scenario", report.scenario.id()).tag("status", report.status.wire()).register(registry).increment();
    if (report.status == DrillReport.Status.PASSED && report.recoveryMs != null) {
      Timer.builder("rebound.drill.recovery").description("Measured recovery time of passed drills")
          .tag("scenario", report.scenario.id()).register(registry).record(Duration.ofMillis(report.recoveryMs));
    }
  }
}
