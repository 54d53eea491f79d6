package dev.rebound.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's meters: runs by state (a gauge refreshed from the database by the poller, so it
 * counts every instance's runs), step durations, time steps waited for approval, check outcomes
 * and refusals. Names are dotted; Prometheus shows them as {@code rebound_engine_…}.
 */
final class EngineMetrics {
  private final MeterRegistry registry;
  private final Map<RunState, AtomicLong> runsByState = new EnumMap<>(RunState.class);

  EngineMetrics(MeterRegistry registry) {
    this.registry = registry == null ? new SimpleMeterRegistry() : registry;
    for (RunState state : RunState.values()) {
      AtomicLong value = new AtomicLong();
      runsByState.put(state, value);
      // The drill engine shares the registry; the first engine's gauge already counts every run.
      if (this.registry.find("rebound.engine.runs").tag("state", state.dbName()).gauge() != null) {
        continue;
      }
      Gauge.builder("rebound.engine.runs", value, AtomicLong::doubleValue)
          .description("Runs by state (all instances)")
          .tag("state", state.dbName())
          .register(this.registry);
    }
  }

  void runsByState(Map<RunState, Long> counts) {
    counts.forEach((state, n) -> runsByState.get(state).set(n));
  }

  void stepFinished(String result, Duration duration) {
    Timer.builder("rebound.engine.step.duration").description("Step execution time, action and checks")
        .tag("result", result).register(registry).record(duration);
  }

  void approvalWait(Duration waited) {
    Timer.builder("rebound.engine.approval.wait").description("Time a step waited for its approvals")
        .register(registry).record(waited.isNegative() ? Duration.ZERO : waited);
  }

  void check(String phase, String kind, boolean passed) {
    Counter.builder("rebound.engine.checks").description("Checks run by runs")
        .tag("phase", phase).tag("kind", kind).tag("result", passed ? "passed" : "failed")
        .register(registry).increment();
  }

  void refusal(String reason) {
    Counter.builder("rebound.engine.refusals").description("Approvals and decisions refused, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  void invalidation() {
    Counter.builder("rebound.engine.approvals.invalidated")
        .description("Approved steps that did not run because what the approval bound had changed")
        .register(registry).increment();
  }
}
